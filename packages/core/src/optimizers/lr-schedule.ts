// Learning-rate schedules, computed on the host and fed to the graph as the step's `lr`: a schedule
// is host arithmetic (as PyTorch's LambdaLR in Python float64), so changing it never changes the model.
import { fail } from '../errors.js';

export type LrScheduleKind = 'constant' | 'linear' | 'cosine';

export interface LrScheduleOptions {
  /** The peak learning rate. */
  lr: number;
  /** Default 'constant'. */
  kind?: LrScheduleKind;
  /** Updates spent ramping linearly from 0 (default 0). */
  warmupSteps?: number;
  /** All updates of the run; needed by 'linear' and 'cosine'. */
  totalSteps?: number;
}

/** The learning rate of the update with 0-based index `step` (LambdaLR's last_epoch). */
export type LrSchedule = (step: number) => number;

/**
 * transformers' get_{constant,linear,cosine}_schedule_with_warmup: f = s/w while s < w, then
 * constant 1, linear max(0, (T − s)/(T − w)), or cosine max(0, ½(1 + cos(π·(s − w)/(T − w)))); lr = lr₀·f.
 */
export function createLrSchedule(options: LrScheduleOptions): LrSchedule {
  const { lr } = options;
  const kind = options.kind ?? 'constant';
  const warmup = options.warmupSteps ?? 0;
  const total = options.totalSteps ?? 0;
  if (!Number.isFinite(lr) || lr < 0) fail('optimizers', `lr schedule lr: expected a finite number ≥ 0, got ${lr}`);
  if (!Number.isInteger(warmup) || warmup < 0) fail('optimizers', `lr schedule warmupSteps: expected an integer ≥ 0, got ${warmup}`);
  if (!['constant', 'linear', 'cosine'].includes(kind)) {
    fail('optimizers', `lr schedule kind: expected constant, linear or cosine, got ${String(kind)}`);
  }
  if (kind !== 'constant' && (!Number.isInteger(total) || total < 1)) {
    fail('optimizers', `lr schedule totalSteps: expected an integer ≥ 1 for a ${kind} schedule, got ${String(options.totalSteps)}`);
  }
  return (step) => {
    if (!Number.isInteger(step) || step < 0) fail('optimizers', `lr schedule step: expected an integer ≥ 0, got ${step}`);
    return lr * scheduleFactor(kind, step, warmup, total);
  };
}

/** The multiplier f of LambdaLR's lambda for update `step` (0-based). */
function scheduleFactor(kind: LrScheduleKind, step: number, warmup: number, total: number): number {
  if (step < warmup) return step / Math.max(1, warmup);
  if (kind === 'constant') return 1;
  const decaySteps = Math.max(1, total - warmup);
  if (kind === 'linear') return Math.max(0, (total - step) / decaySteps);
  return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 2 * 0.5 * ((step - warmup) / decaySteps))));
}
