// A class prototype (Snell et al. 2017): the mean of its examples' embeddings. One function, so that
// `eval oneshot` episodes and the one-shot classifier (core/oneshot) compute it in the same float32 order.

/**
 * Writes the mean of `data`'s rows `rows` (each `dim` long) into `out` at `at`:
 * p = (1/n) Σᵢ xᵢ, summed in float32 in the given row order; a single row is copied as it is.
 */
export function classPrototype(out: Float32Array, at: number, data: Float32Array, dim: number, rows: ArrayLike<number>): void {
  out.fill(0, at, at + dim);
  for (let s = 0; s < rows.length; s++) {
    const from = rows[s]! * dim;
    for (let j = 0; j < dim; j++) out[at + j]! += data[from + j]!;
  }
  if (rows.length > 1) for (let j = 0; j < dim; j++) out[at + j]! /= rows.length;
}
