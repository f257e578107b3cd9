// One behaviour suite run against every backend (flat and hnsw here, hnswlib from
// @twinembed/node): ids, metadata, filters, deletion, bad input and save/load.
import { describe, expect, it } from 'vitest';
import { randomUnitVectors, range } from '../../../../test/support/vector-data.js';
import type { IndexOptions, Metric, VectorIndex } from './vector-index.js';

export type MakeIndex = (options: Omit<IndexOptions, 'backend'>) => VectorIndex;
export type LoadIndex = (bytes: Uint8Array) => VectorIndex;

const DIM = 16;

function filled(make: MakeIndex, n = 500, metric: Metric = 'l2'): { index: VectorIndex; rows: Float32Array } {
  const rows = randomUnitVectors(n, DIM, 7);
  const index = make({ dim: DIM, metric, capacity: 64 });
  index.add(range(0, n), rows, { metadata: range(0, n).map((i) => ({ group: i % 10, name: `p${i}` })) });
  return { index, rows };
}

const row = (rows: Float32Array, i: number): Float32Array => rows.slice(i * DIM, (i + 1) * DIM);

export function runIndexConformance(name: string, make: MakeIndex, load: LoadIndex): void {
  describe(`${name}: VectorIndex conformance`, () => {
    it('finds each stored vector as its own nearest, for every metric, growing past capacity', () => {
      for (const metric of ['l2', 'cosine', 'ip'] as const) {
        const { index, rows } = filled(make, 500, metric);
        expect(index.size).toBe(500);
        expect(index.capacity).toBeGreaterThanOrEqual(500);
        for (const i of [0, 17, 499]) expect(index.search(row(rows, i), 1).ids).toEqual([i]);
      }
    });

    it('maps string ids and keeps metadata', () => {
      const index = make({ dim: 2, metric: 'l2' });
      index.add(['a', 'b', 7], [new Float32Array([0, 0]), new Float32Array([1, 0]), new Float32Array([5, 5])], { metadata: [{ kind: 'x' }, undefined, { kind: 'y' }] });
      const result = index.search(new Float32Array([0.9, 0]), 3);
      expect(result.ids).toEqual(['b', 'a', 7]);
      expect(Array.from(result.distances)).toEqual([expect.closeTo(0.01, 5), expect.closeTo(0.81, 5), expect.closeTo(16.81 + 25, 4)]);
      expect(index.metadata('a')).toEqual({ kind: 'x' });
      expect(index.metadata('b')).toBeUndefined();
      expect(index.has(7) && !index.has('7')).toBe(true);
    });

    it('returns k results from a filter that admits 10% of the ids', () => {
      const { index, rows } = filled(make, 500);
      const byObject = index.search(row(rows, 3), 10, { filter: { group: 3 } });
      expect(byObject.ids).toHaveLength(10);
      expect(byObject.ids.every((id) => (id as number) % 10 === 3)).toBe(true);
      const byFunction = index.search(row(rows, 3), 10, { filter: (_id, meta) => meta?.group === 3 });
      expect(byFunction.ids).toEqual(byObject.ids);
    });

    it('never returns removed ids and reuses their slots', () => {
      const { index, rows } = filled(make, 300);
      const removed = range(0, 300).filter((i) => i % 5 === 0);
      index.remove(removed);
      expect(index.size).toBe(240);
      expect(index.has(0)).toBe(false);
      for (const i of removed.slice(0, 20)) expect(index.search(row(rows, i), 10, { ef: 100 }).ids).not.toContain(i);
      const capacity = index.capacity;
      index.add(removed.map((i) => i + 1000), removed.map((i) => row(rows, i)));
      expect(index.size).toBe(300);
      expect(index.capacity).toBe(capacity);
      expect(index.search(row(rows, 5), 1).ids).toEqual([1005]);
    });

    it('refuses bad input and leaves the index unchanged', () => {
      const { index, rows } = filled(make, 50);
      const before = index.search(row(rows, 1), 5);
      const nan = row(rows, 0);
      nan[3] = Number.NaN;
      expect(() => index.add([100], [new Float32Array(DIM + 1)])).toThrow(/wrong dimension: expected 16, got 17/);
      expect(() => index.add([100, 101], [row(rows, 0), nan])).toThrow(/non-finite value/);
      expect(() => index.add([100, 101], [row(rows, 0), new Float32Array(DIM).fill(Infinity)])).toThrow(/non-finite value/);
      expect(() => index.add([100, 3], [row(rows, 0), row(rows, 1)])).toThrow(/duplicate id: expected a new id \(or replace: true\), got 3/);
      expect(() => index.search(row(rows, 0), 0)).toThrow(/invalid k/);
      expect(() => index.search(row(rows, 0), -1)).toThrow(/invalid k/);
      expect(() => index.search(new Float32Array(3), 1)).toThrow(/wrong query dimension/);
      expect(() => index.remove([999])).toThrow(/unknown id/);
      expect(() => load(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/\[twinembed:vector-index\] cannot load index/);
      expect(index.size).toBe(50);
      expect(index.has(100)).toBe(false);
      expect(index.search(row(rows, 1), 5)).toEqual(before);
    });

    it('replaces a vector when asked', () => {
      const { index, rows } = filled(make, 50);
      index.add([3], [row(rows, 40)], { replace: true });
      expect(index.search(row(rows, 40), 2).ids.sort()).toEqual([3, 40]);
      expect(index.metadata(3)).toEqual({ group: 3, name: 'p3' });
    });

    it('saves and loads to identical results, ids and metadata', () => {
      const { index, rows } = filled(make, 400, 'cosine');
      index.remove([1, 2, 3]);
      index.add(['s1'], [row(rows, 1)], { metadata: [{ group: 42 }] });
      const loaded = load(index.save());
      expect(loaded.size).toBe(index.size);
      expect(loaded.metric).toBe('cosine');
      const queries = randomUnitVectors(20, DIM, 99);
      expect(loaded.searchBatch(queries, 10, { ef: 64 })).toEqual(index.searchBatch(queries, 10, { ef: 64 }));
      expect(loaded.metadata('s1')).toEqual({ group: 42 });
      expect(loaded.search(row(rows, 9), 5, { filter: { group: 42 } }).ids).toEqual(['s1']);
    });
  });
}
