// Option checks shared by the optimizer factories, run once when an optimizer is created.
import { fail } from '../errors.js';

/** A finite number in [lo, hi) (hi exclusive unless `closed`), or `fallback` when absent. */
export function inRange(where: string, name: string, value: number | undefined, fallback: number, lo: number, hi: number, closed = false): number {
  const v = value ?? fallback;
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= lo && (closed ? v <= hi : v < hi);
  if (!ok) fail('optimizers', `${where} ${name}: expected a number in [${lo}, ${hi}${closed ? ']' : ')'}, got ${String(value)}`);
  return v;
}

/** Checks a step number and learning rate handed to Optimizer.scalars. */
export function checkStep(where: string, step: number, lr: number): void {
  if (!Number.isInteger(step) || step < 1) fail('optimizers', `${where} step: expected an integer ≥ 1 (the update's 1-based number), got ${step}`);
  if (!Number.isFinite(lr) || lr < 0) fail('optimizers', `${where} lr: expected a finite number ≥ 0, got ${lr}`);
}
