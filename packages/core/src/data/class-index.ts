// Labels → the examples of each class, validated once. Datasets are described by labels only
// (class c of example i is labels[i], classes 0..C−1 with C = max label + 1), so samplers never see images.
import { fail } from '../errors.js';
import { AREA } from './validate.js';

export interface ClassIndex {
  /** The labels, copied. */
  readonly labels: Int32Array;
  /** Example indices of each class 0..C−1, ascending; empty for a class with no example. */
  readonly members: readonly (readonly number[])[];
  /** Classes with at least one example, ascending. */
  readonly present: readonly number[];
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { length?: unknown }).length === 'number';
}

/** Checks `values` is an array-like of integers in [0, 2³¹) and copies it. */
export function checkIndices(name: string, values: unknown): Int32Array {
  if (!isArrayLike(values)) fail(AREA, `${name}: expected an array of integers, got ${values === null ? 'null' : typeof values}`);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      fail(AREA, `${name}[${i}]: expected an integer ≥ 0, got ${String(v)}`);
    }
    out[i] = v;
  }
  return out;
}

export function indexClasses(labels: ArrayLike<number>): ClassIndex {
  const copy = checkIndices('labels', labels);
  if (copy.length === 0) fail(AREA, 'labels: expected at least one example, got an empty list');
  const classCount = copy.reduce((max, c) => Math.max(max, c), 0) + 1;
  if (classCount > 4 * copy.length + 65536) {
    fail(AREA, `labels: expected class indices 0..C−1 without huge gaps, got max label ${classCount - 1} for ${copy.length} examples`);
  }
  const members: number[][] = Array.from({ length: classCount }, () => []);
  copy.forEach((c, i) => members[c]!.push(i));
  const present = members.flatMap((m, c) => (m.length > 0 ? [c] : []));
  return { labels: copy, members, present };
}
