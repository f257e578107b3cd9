// Recall@10 of the TypeScript HNSW against the flat oracle, with hnswlib's defaults
// (M 16, efConstruction 200) and ef 64, plus recall after deleting 20% and re-adding.
import { beforeAll, describe, expect, it } from 'vitest';
import { createIndex } from './create-index.js';
import { hasMnist, loadMnistImages, MNIST_IMAGES, randomUnitVectors, range, recallAt } from '../../../../test/support/vector-data.js';
import type { VectorIndex } from './vector-index.js';

function build(backend: 'flat' | 'hnsw', dim: number, metric: 'cosine' | 'l2', rows: Float32Array): VectorIndex {
  const index = createIndex({ backend, dim, metric });
  index.add(range(0, rows.length / dim), rows);
  return index;
}

describe('hnsw recall on 20,000 random unit vectors (dim 128, cosine)', () => {
  const n = 20_000, dim = 128;
  const data = randomUnitVectors(n + 100, dim, 1);
  const queries = data.subarray(n * dim);
  let flat: VectorIndex, hnsw: VectorIndex;
  beforeAll(() => {
    flat = build('flat', dim, 'cosine', data.subarray(0, n * dim));
    hnsw = build('hnsw', dim, 'cosine', data.subarray(0, n * dim));
  }, 300_000);

  // Uniform random 128-d data is HNSW's worst case: hnswlib-node itself reaches 0.52 here at
  // ef 64 and 0.84 at ef 200 (hnswlib-index.test.ts compares the two on the same data).
  it('matches hnswlib at ef 64 and reaches 0.95 at ef 512', () => {
    expect(recallAt(10, hnsw, flat, queries, 64)).toBeGreaterThanOrEqual(0.45);
    expect(recallAt(10, hnsw, flat, queries, 512)).toBeGreaterThanOrEqual(0.95);
  });
});

describe.skipIf(!hasMnist)('hnsw recall on MNIST test images (9,900 indexed × 784, l2, 100 held out)', () => {
  it('reaches recall@10 ≥ 0.95 at ef 64', () => {
    const { count, dim, vectors } = loadMnistImages();
    const indexed = vectors.subarray(0, (count - 100) * dim);
    const queries = vectors.subarray((count - 100) * dim);
    const recall = recallAt(10, build('hnsw', dim, 'l2', indexed), build('flat', dim, 'l2', indexed), queries, 64);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
});
if (!hasMnist) describe.skip(`MNIST recall: ${MNIST_IMAGES} is absent (set TWINEMBED_DATA)`, () => {});

describe('hnsw deletion', () => {
  it('keeps recall after deleting 20% and re-adding, reusing the slots', () => {
    const n = 5_000, dim = 32;
    const data = randomUnitVectors(n + 100, dim, 3);
    const rows = data.subarray(0, n * dim), queries = data.subarray(n * dim);
    const flat = build('flat', dim, 'l2', rows), hnsw = build('hnsw', dim, 'l2', rows);
    const before = recallAt(10, hnsw, flat, queries, 64);
    const removed = range(0, n).filter((i) => i % 5 === 2);
    hnsw.remove(removed);
    flat.remove(removed);
    const gone = new Set(removed);
    for (const result of hnsw.searchBatch(queries, 50)) expect(result.ids.some((id) => gone.has(id as number))).toBe(false);
    expect(recallAt(10, hnsw, flat, queries, 64)).toBeGreaterThanOrEqual(0.95);
    const capacity = hnsw.capacity;
    const again = new Float32Array(removed.length * dim);
    removed.forEach((id, r) => again.set(rows.subarray(id * dim, (id + 1) * dim), r * dim));
    hnsw.add(removed, again);
    flat.add(removed, again);
    expect(hnsw.capacity).toBe(capacity);
    expect(hnsw.size).toBe(n);
    const after = recallAt(10, hnsw, flat, queries, 64);
    expect(after).toBeGreaterThanOrEqual(0.95);
    expect(after).toBeGreaterThanOrEqual(before - 0.02);
  }, 120_000);
});
