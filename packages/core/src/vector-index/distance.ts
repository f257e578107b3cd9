// Distances, kept apart from the graph as in hnswlib's spaces: each takes two rows by
// (array, offset) so the hot loops never allocate. Unrolled by 4 over Float32Array.
import type { Metric } from './vector-index.js';

export type DistanceFn = (a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number) => number;

/** Squared euclidean distance: Σ (a − b)². */
export function l2Squared(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const end = dim - (dim & 3);
  let i = 0;
  for (; i < end; i += 4) {
    const d0 = a[ai + i]! - b[bi + i]!;
    const d1 = a[ai + i + 1]! - b[bi + i + 1]!;
    const d2 = a[ai + i + 2]! - b[bi + i + 2]!;
    const d3 = a[ai + i + 3]! - b[bi + i + 3]!;
    s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
  }
  for (; i < dim; i++) {
    const d = a[ai + i]! - b[bi + i]!;
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

/** Inner-product distance as hnswlib defines it: 1 − a·b (also cosine on normalized rows). */
export function innerProductDistance(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const end = dim - (dim & 3);
  let i = 0;
  for (; i < end; i += 4) {
    s0 += a[ai + i]! * b[bi + i]!;
    s1 += a[ai + i + 1]! * b[bi + i + 1]!;
    s2 += a[ai + i + 2]! * b[bi + i + 2]!;
    s3 += a[ai + i + 3]! * b[bi + i + 3]!;
  }
  for (; i < dim; i++) s0 += a[ai + i]! * b[bi + i]!;
  return 1 - (s0 + s1 + s2 + s3);
}

/** Scales a row in place to unit length; a zero row stays zero (hnswlib-node adds 1e-30 the same way). */
export function normalizeRow(v: Float32Array, offset: number, dim: number): void {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[offset + i]! * v[offset + i]!;
  const inv = 1 / (Math.sqrt(s) + 1e-30);
  for (let i = 0; i < dim; i++) v[offset + i]! *= inv;
}

export interface MetricSpec {
  distance: DistanceFn;
  /** Whether rows are normalized on add and search (hnswlib-node's cosine space). */
  normalize: boolean;
  /** hnswlib space the graph is built in. */
  space: 'l2' | 'ip';
}

export const METRICS: Readonly<Record<Metric, MetricSpec>> = Object.freeze({
  cosine: { distance: innerProductDistance, normalize: true, space: 'ip' },
  l2: { distance: l2Squared, normalize: false, space: 'l2' },
  ip: { distance: innerProductDistance, normalize: false, space: 'ip' },
});
