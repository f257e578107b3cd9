// Parsers of option values shared by the commands: a bad value is a commander
// InvalidArgumentError, so it is reported as "option '--x <n>' argument 'v' is invalid. expected …".
import { InvalidArgumentError } from 'commander';

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Seeds, warm-up steps: 0 allowed. */
export function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`expected an integer ≥ 0, got "${value}"`);
  return Number(value);
}

/** Learning rates, margins, weight decay. */
export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a finite number ≥ 0, got "${value}"`);
  return n;
}

/** Names, comma-separated ("Latin,Greek"): trimmed, none empty, no repeats. */
export function commaList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((s) => s === '')) throw new InvalidArgumentError(`expected comma-separated names, none empty, got "${value}"`);
  if (new Set(names).size !== names.length) throw new InvalidArgumentError(`expected each name once, got "${value}"`);
  return names;
}
