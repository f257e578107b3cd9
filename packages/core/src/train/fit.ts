// The training loop around a Trainer: steps over a batch sampler, a validation score every few steps,
// the best checkpoint kept (by that score, higher is better), early stopping after `patience`
// validations without improvement, and one log entry per validation. Runtime-agnostic: Node's CLI
// and the browser's worker both run it; files and progress bars are the caller's.
import { fail } from '../errors.js';
import type { Trainer, TrainBatch, TrainerCheckpoint } from './create-trainer.js';

/** A validation with its figures: `score` (higher is better) picks the best checkpoint; `metrics` go into the log. */
export interface FitValidation {
  score: number;
  metrics: Readonly<Record<string, number>>;
}

export interface FitLogEntry {
  step: number;
  /** Mean training loss over the steps since the previous entry. */
  loss: number;
  lr: number;
  stepsPerSecond: number;
  /** The validation score at this step (absent without a validate function). */
  validation?: number;
  /** Every figure of that validation, when validate returned them. */
  metrics?: Readonly<Record<string, number>>;
  /** True when this validation is the best so far (its checkpoint is kept). */
  best?: boolean;
  elapsedSeconds: number;
}

export interface FitOptions<B = TrainBatch> {
  trainer: Trainer<B>;
  batches: Iterator<B> | AsyncIterator<B>;
  /** Optimizer steps in all (fewer when early stopping or when `batches` ends). */
  steps: number;
  /**
   * Higher is better (e.g. one-shot accuracy, STS Spearman); NaN never counts as a best. Called when
   * the trainer's step count is a multiple of `validateEvery` (so a resumed run keeps the same
   * schedule) and after the last step.
   */
  validate?: (checkpoint: TrainerCheckpoint) => Promise<number | FitValidation>;
  /** Steps between log entries and validations (default: steps / 20, at least 1). */
  validateEvery?: number;
  /** Stop after this many validations in a row without a new best (default: never). */
  patience?: number;
  /** The learning rate of a step, for the log. */
  lrAt?: (step: number) => number;
  onLog?: (entry: FitLogEntry) => void | Promise<void>;
  /** Called with each new best checkpoint and its score. */
  onBest?: (checkpoint: TrainerCheckpoint, score: number) => void | Promise<void>;
  /** Called after every step (progress bars). */
  onStep?: (step: number, loss: number) => void;
}

export interface FitResult {
  /** Steps taken in this call. */
  steps: number;
  /** The best validation's checkpoint and score, or the last checkpoint when there is no validation. */
  best: { checkpoint: TrainerCheckpoint; score?: number; step: number };
  stoppedEarly: boolean;
  log: FitLogEntry[];
}

export async function fit<B = TrainBatch>(options: FitOptions<B>): Promise<FitResult> {
  const { trainer, steps } = options;
  if (!Number.isInteger(steps) || steps < 1) fail('train', `fit: steps: expected an integer ≥ 1, got ${steps}`);
  const every = options.validateEvery ?? Math.max(1, Math.floor(steps / 20));
  if (!Number.isInteger(every) || every < 1) fail('train', `fit: validateEvery: expected an integer ≥ 1, got ${every}`);
  const patience = options.patience ?? Infinity;
  const started = performance.now();
  const log: FitLogEntry[] = [];
  let best: FitResult['best'] | undefined;
  let sinceBest = 0;
  let window = { losses: 0, count: 0, started };
  let taken = 0;

  const record = async (): Promise<boolean> => {
    const checkpoint = trainer.checkpoint();
    const now = performance.now();
    const entry: FitLogEntry = {
      step: checkpoint.step, loss: window.losses / window.count, lr: options.lrAt?.(checkpoint.step) ?? Number.NaN,
      stepsPerSecond: (window.count * 1000) / (now - window.started), elapsedSeconds: (now - started) / 1000,
    };
    window = { losses: 0, count: 0, started: now };
    if (options.validate) {
      const validation = await options.validate(checkpoint);
      const score = typeof validation === 'number' ? validation : validation.score;
      entry.validation = score;
      if (typeof validation !== 'number') entry.metrics = validation.metrics;
      entry.best = !Number.isNaN(score) && (best?.score === undefined || score > best.score);
      if (entry.best) {
        best = { checkpoint, score, step: checkpoint.step };
        sinceBest = 0;
        await options.onBest?.(checkpoint, score);
      } else sinceBest++;
      // validation time is not training time
      window.started = performance.now();
    }
    log.push(entry);
    await options.onLog?.(entry);
    return sinceBest >= patience;
  };

  let stoppedEarly = false;
  while (taken < steps) {
    const next = await options.batches.next();
    if (next.done) break;
    const loss = await trainer.step(next.value);
    taken++;
    window.losses += loss;
    window.count++;
    options.onStep?.(taken, loss);
    if (trainer.checkpoint().step % every === 0 || taken === steps) {
      if (await record()) {
        stoppedEarly = taken < steps;
        break;
      }
    }
  }
  if (taken === 0) fail('train', 'fit: expected at least one batch, got none');
  if (window.count > 0) await record();
  return { steps: taken, best: best ?? { checkpoint: trainer.checkpoint(), step: trainer.checkpoint().step }, stoppedEarly, log };
}
