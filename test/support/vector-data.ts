// Vector data for the index tests: seeded unit vectors, MNIST test images from the shared
// data sets, and recall@k against the flat oracle.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { VectorIndex } from '../../packages/core/src/vector-index/vector-index.js';
import { dataPath } from './paths.js';
import { seededRandom } from './random.js';

export const MNIST_IMAGES = dataPath('mnist', 't10k-images-idx3-ubyte.gz');
export const hasMnist = existsSync(MNIST_IMAGES);

/** `n` Gaussian rows of `dim`, scaled to unit length: uniform on the sphere. */
export function randomUnitVectors(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      out[r * dim + j] = x;
      s += x * x;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) out[r * dim + j]! *= inv;
  }
  return out;
}

/** MNIST test images as 10,000 × 784 floats in [0, 1]. */
export function loadMnistImages(): { count: number; dim: number; vectors: Float32Array } {
  const bytes = gunzipSync(readFileSync(MNIST_IMAGES));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(0) !== 2051) throw new Error(`not an idx3 image file: ${MNIST_IMAGES}`);
  const count = view.getUint32(4), dim = view.getUint32(8) * view.getUint32(12);
  const vectors = new Float32Array(count * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = bytes[16 + i]! / 255;
  return { count, dim, vectors };
}

export function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/** Mean fraction of the oracle's k nearest found by `index`. */
export function recallAt(k: number, index: VectorIndex, oracle: VectorIndex, queries: Float32Array, ef?: number): number {
  const got = index.searchBatch(queries, k, ef === undefined ? undefined : { ef });
  const want = oracle.searchBatch(queries, k);
  let hits = 0;
  got.forEach((result, i) => {
    const truth = new Set(want[i]!.ids);
    for (const id of result.ids) if (truth.has(id)) hits++;
  });
  return hits / (k * got.length);
}
