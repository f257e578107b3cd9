// Option checks shared by the samplers and the augmenter: run once at each public boundary so a bad
// option fails with its name, what was expected and what was found (`[twinembed:data] …`).
import { fail } from '../errors.js';

export const AREA = 'data';

/** An integer ≥ `min`; `undefined` gives `fallback` when one is given. */
export function checkInteger(name: string, value: unknown, min: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(AREA, `${name}: expected an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** A seed for `seededRandom`: an integer, so that two different seeds never silently truncate to one. */
export function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) fail(AREA, `seed: expected an integer, got ${String(seed)}`);
  return seed;
}

/** A number in [0, 1]; `undefined` gives `fallback`. */
export function checkFraction(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(AREA, `${name}: expected a number in [0, 1], got ${String(value)}`);
  return value;
}

/** A finite number; `undefined` gives `fallback`. */
export function checkFinite(name: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(AREA, `${name}: expected a finite number, got ${String(value)}`);
  return value;
}

/** How many items a sampler yields: a count ≥ 0, or Infinity when not given. */
export function checkCount(value: unknown): number {
  return value === undefined ? Infinity : checkInteger('count', value, 0);
}
