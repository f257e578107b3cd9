// Embeddings as the evaluators take them (a list of rows, or one row-major matrix as
// Embedder.embedMatrix returns), and the similarity of two rows: higher = more alike.
import { fail } from '../errors.js';
import { l2Squared } from '../vector-index/distance.js';

export type EvalMetric = 'euclidean' | 'cosine';
export const EVAL_METRICS: readonly EvalMetric[] = ['euclidean', 'cosine'];

export type EmbeddingRows = readonly Float32Array[] | { data: Float32Array; dim: number };

export interface EmbeddingMatrix {
  data: Float32Array;
  dim: number;
  count: number;
}

/** One row-major matrix; a list of rows is copied once, a matrix is used as it is. */
export function toEmbeddingMatrix(rows: EmbeddingRows): EmbeddingMatrix {
  if (!Array.isArray(rows)) {
    const { data, dim } = rows as { data: Float32Array; dim: number };
    if (!Number.isInteger(dim) || dim < 1 || data.length % dim !== 0) fail('eval', `embeddings: expected a [count, dim] matrix, got ${data.length} values with dim ${dim}`);
    return { data, dim, count: data.length / dim };
  }
  const list = rows as readonly Float32Array[];
  const dim = list[0]?.length ?? fail('eval', 'embeddings: expected at least one row, got none');
  const data = new Float32Array(list.length * dim);
  list.forEach((row, i) => {
    if (row.length !== dim) fail('eval', `embeddings[${i}]: expected ${dim} values (as row 0), got ${row.length}`);
    data.set(row, i * dim);
  });
  return { data, dim, count: list.length };
}

export function checkMetric(metric: string): EvalMetric {
  if (!(EVAL_METRICS as readonly string[]).includes(metric)) fail('eval', `metric: expected ${EVAL_METRICS.join(' or ')}, got "${metric}"`);
  return metric as EvalMetric;
}

/** Every index must name an embedding row. */
export function checkIndices(what: string, indices: Int32Array, count: number): void {
  for (const i of indices) if (i < 0 || i >= count) fail('eval', `${what}: example ${i} is outside the ${count} embeddings`);
}

/**
 * Similarity of rows a[k] and b[k] for each k, higher = more alike: −‖x − y‖ for euclidean,
 * x·y / (‖x‖‖y‖) for cosine (0 when either row is zero).
 */
export function pairSimilarities(embeddings: EmbeddingRows, a: Int32Array, b: Int32Array, metric: EvalMetric): Float64Array {
  const { data, dim, count } = toEmbeddingMatrix(embeddings);
  if (a.length !== b.length) fail('eval', `pairs: expected as many first as second indices, got ${a.length} and ${b.length}`);
  checkIndices('pairs', a, count);
  checkIndices('pairs', b, count);
  if (checkMetric(metric) === 'euclidean') return Float64Array.from(a, (i, k) => -Math.sqrt(l2Squared(data, i * dim, data, b[k]! * dim, dim)));
  const dot = (i: number, j: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += data[i * dim + d]! * data[j * dim + d]!;
    return s;
  };
  return Float64Array.from(a, (i, k) => {
    const scale = Math.sqrt(dot(i, i) * dot(b[k]!, b[k]!));
    return scale === 0 ? 0 : dot(i, b[k]!) / scale;
  });
}
