// The four similarity functions of sentence-transformers (cosine, dot, euclidean, manhattan) on
// pairs of embedding rows, higher = more alike, computed in float64 from float32 rows.
import { fail } from '../../errors.js';

export type SimilarityFunction = 'cosine' | 'dot' | 'euclidean' | 'manhattan';
export const SIMILARITY_FUNCTIONS: readonly SimilarityFunction[] = ['cosine', 'dot', 'euclidean', 'manhattan'];

/** euclidean and manhattan are distances: their similarity is −distance, and thresholds are reported as distances. */
export function isDistance(fn: SimilarityFunction): boolean {
  return fn === 'euclidean' || fn === 'manhattan';
}

type RowScore = (a: Float32Array, i: number, b: Float32Array, j: number, dim: number) => number;

function dot(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += a[i + d]! * b[j + d]!;
  return s;
}

// cos(x, y) = x·y / (‖x‖‖y‖), 0 when a row is zero; euclidean −‖x − y‖₂; manhattan −‖x − y‖₁.
const SCORES: Record<SimilarityFunction, RowScore> = {
  cosine: (a, i, b, j, dim) => {
    const scale = Math.sqrt(dot(a, i, a, i, dim) * dot(b, j, b, j, dim));
    return scale === 0 ? 0 : dot(a, i, b, j, dim) / scale;
  },
  dot,
  euclidean: (a, i, b, j, dim) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (a[i + d]! - b[j + d]!) ** 2;
    return -Math.sqrt(s);
  },
  manhattan: (a, i, b, j, dim) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += Math.abs(a[i + d]! - b[j + d]!);
    return -s;
  },
};

export function checkSimilarityFunctions(names: readonly string[] | undefined): readonly SimilarityFunction[] {
  if (names === undefined) return SIMILARITY_FUNCTIONS;
  if (names.length === 0) fail('eval', 'similarities: expected at least one of cosine, dot, euclidean, manhattan, got none');
  for (const name of names) {
    if (!(SIMILARITY_FUNCTIONS as readonly string[]).includes(name)) fail('eval', `similarities: expected cosine, dot, euclidean or manhattan, got "${name}"`);
  }
  return names as readonly SimilarityFunction[];
}

/** Checks that a and b are [count, dim] matrices of the same count and returns that count. */
export function pairCount(a: Float32Array, b: Float32Array, dim: number, names: [string, string]): number {
  if (!Number.isInteger(dim) || dim < 1) fail('eval', `dim: expected a positive integer, got ${dim}`);
  if (a.length % dim !== 0) fail('eval', `${names[0]}: expected a [count, ${dim}] matrix, got ${a.length} values`);
  if (b.length !== a.length) fail('eval', `${names[1]}: expected as many values as ${names[0]} (${a.length}), got ${b.length}`);
  return a.length / dim;
}

/** score(a[k], b[k]) for every row k of two [count, dim] row-major matrices. */
export function pairedScores(a: Float32Array, b: Float32Array, dim: number, fn: SimilarityFunction): Float64Array {
  const score = SCORES[fn];
  const out = new Float64Array(a.length / dim);
  for (let k = 0; k < out.length; k++) out[k] = score(a, k * dim, b, k * dim, dim);
  return out;
}
