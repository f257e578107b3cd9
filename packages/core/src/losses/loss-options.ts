// Option checks shared by the loss builders: each public builder validates its options once, here.
import { fail } from '../errors.js';
import type { BatchDistance, Distance } from './distances.js';

/** A finite number, or `fallback` when absent. */
export function finite(loss: string, name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail('losses', `${loss} ${name}: expected a finite number, got ${String(value)}`);
  return v;
}

/** A finite number ≥ 0, or `fallback` when absent. */
export function nonNegative(loss: string, name: string, value: number | undefined, fallback: number): number {
  const v = finite(loss, name, value, fallback);
  if (v < 0) fail('losses', `${loss} ${name}: expected a number ≥ 0, got ${v}`);
  return v;
}

const DISTANCES: readonly Distance[] = ['cosine', 'euclidean', 'manhattan'];

export function distanceOf(loss: string, value: Distance | undefined, fallback: Distance): Distance {
  const v = value ?? fallback;
  if (!DISTANCES.includes(v)) fail('losses', `${loss} distance: expected one of ${DISTANCES.join(', ')}, got ${String(value)}`);
  return v;
}

export function batchDistanceOf(loss: string, value: BatchDistance | undefined): BatchDistance {
  const v = value ?? 'euclidean';
  if (v !== 'euclidean' && v !== 'cosine') fail('losses', `${loss} distance: expected euclidean or cosine, got ${String(value)}`);
  return v;
}
