// hnswlib-node behind the VectorIndex interface, and the file format shared with the
// TypeScript hnsw: each reads the other's bytes and returns the same neighbours.
import { describe, expect, it } from 'vitest';
import { createIndex, hnswlibBytes, loadHnswlibBytes, resolveOptions } from '@twinembed/core';
import { runIndexConformance } from '../../core/src/vector-index/index-conformance.js';
import { randomUnitVectors, range, recallAt } from '../../../test/support/vector-data.js';
import { createNodeIndex, loadHnswlibNode, openHnswlibBytes, type HnswlibIndex } from './hnswlib-index.js';
import { openIndexBytes } from './index-file.js';

const hasNative = !(loadHnswlibNode() instanceof Error);
if (!hasNative) describe.skip(`hnswlib backend: hnswlib-node is not built (${(loadHnswlibNode() as Error).message.split('\n')[0]})`, () => {});

describe.skipIf(!hasNative)('hnswlib backend', () => {
  runIndexConformance('hnswlib', (options) => createNodeIndex({ ...options, backend: 'hnswlib' }).index, (bytes) => openIndexBytes(bytes).index);

  const n = 3_000, dim = 32;
  const data = randomUnitVectors(n + 50, dim, 5);
  const rows = data.subarray(0, n * dim), queries = data.subarray(n * dim);

  it('reads an index written by hnswlib-node and returns the same neighbours', () => {
    for (const metric of ['cosine', 'l2', 'ip'] as const) {
      const native = createNodeIndex({ backend: 'hnswlib', dim, metric }).index as HnswlibIndex;
      native.add(range(0, n), rows);
      native.remove([10, 20, 30]);
      const ts = loadHnswlibBytes(native.saveHnswlib(), { dim, metric });
      expect(ts.size).toBe(n - 3);
      expect(ts.searchBatch(queries, 10, { ef: 64 }).map((r) => r.ids)).toEqual(native.searchBatch(queries, 10, { ef: 64 }).map((r) => r.ids));
    }
  });

  it('writes an index hnswlib-node reads and searches identically', () => {
    for (const metric of ['cosine', 'l2'] as const) {
      const ts = createIndex({ backend: 'hnsw', dim, metric });
      ts.add(range(0, n), rows);
      ts.remove([1, 2, 3]);
      const native = openHnswlibBytes(hnswlibBytes(ts), resolveOptions({ dim, metric }));
      expect(native.size).toBe(n - 3);
      const a = native.searchBatch(queries, 10, { ef: 64 }), b = ts.searchBatch(queries, 10, { ef: 64 });
      expect(a.map((r) => r.ids)).toEqual(b.map((r) => r.ids));
      a.forEach((r, i) => r.distances.forEach((d, j) => expect(d).toBeCloseTo(b[i]!.distances[j]!, 4)));
    }
  });

  it('has the recall of the TypeScript hnsw on the same data', () => {
    const flat = createIndex({ backend: 'flat', dim, metric: 'cosine' });
    const ts = createIndex({ backend: 'hnsw', dim, metric: 'cosine' });
    const { index: native } = createNodeIndex({ dim, metric: 'cosine' });
    for (const index of [flat, ts, native]) index.add(range(0, n), rows);
    const nativeRecall = recallAt(10, native, flat, queries, 64);
    expect(nativeRecall).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(recallAt(10, ts, flat, queries, 64) - nativeRecall)).toBeLessThanOrEqual(0.03);
  });
});
