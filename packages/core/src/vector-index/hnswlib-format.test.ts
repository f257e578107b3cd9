// hnswlib's binary format: our bytes round-trip, and garbage or truncated input is refused
// with a clear error before anything is built.
import { describe, expect, it } from 'vitest';
import { createIndex, hnswlibBytes, loadHnswlibBytes, loadIndexBytes } from './create-index.js';
import { randomUnitVectors, range } from '../../../../test/support/vector-data.js';

const DIM = 24;

function built(n = 600) {
  const rows = randomUnitVectors(n, DIM, 11);
  const index = createIndex({ backend: 'hnsw', dim: DIM, metric: 'l2', M: 8, efConstruction: 64 });
  index.add(range(0, n), rows);
  return { index, rows };
}

describe('hnswlib format', () => {
  it('writes the 96-byte header hnswlib expects and reads its own bytes back identically', () => {
    const { index, rows } = built();
    index.remove([5, 6]);
    const bytes = hnswlibBytes(index);
    const view = new DataView(bytes.buffer);
    expect(view.getBigUint64(16, true)).toBe(600n); // element count, deleted included
    expect(view.getBigUint64(24, true)).toBe(BigInt(4 + 4 * 16 + 4 * DIM + 8)); // size_data_per_element
    expect(view.getBigUint64(72, true)).toBe(8n); // M
    expect(view.getFloat64(80, true)).toBeCloseTo(1 / Math.log(8), 12);
    const again = loadHnswlibBytes(bytes, { dim: DIM, metric: 'l2' });
    expect(again.size).toBe(598);
    expect(again.has(5)).toBe(false);
    expect(hnswlibBytes(again)).toEqual(bytes);
    const queries = rows.subarray(0, 20 * DIM);
    expect(again.searchBatch(queries, 10)).toEqual(index.searchBatch(queries, 10));
  });

  it('refuses a wrong dimension, truncation, corrupt links and a bundle', () => {
    const { index } = built(200);
    const bytes = hnswlibBytes(index);
    const load = (b: Uint8Array, dim = DIM) => () => loadHnswlibBytes(b, { dim, metric: 'l2' });
    expect(load(bytes, DIM + 1)).toThrow(/expected labelOffset .* for dim 25, got .*dim 24/);
    expect(load(bytes.subarray(0, 50))).toThrow(/expected at least 96 bytes, got 50/);
    expect(load(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated|trailing/);
    const corrupt = bytes.slice();
    new DataView(corrupt.buffer).setUint32(96 + 4, 9999, true); // element 0, first level-0 link
    expect(load(corrupt)).toThrow(/expected links to elements on layer 0, got 9999/);
    expect(load(new Uint8Array(200).fill(7))).toThrow(/cannot read hnswlib index/);
    expect(load(index.save())).toThrow(/got a twinembed bundle/);
  });

  it('refuses a bundle that is truncated, corrupted or not a bundle', () => {
    const { index } = built(100);
    const bytes = index.save();
    expect(() => loadIndexBytes(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated or padded/);
    const flipped = bytes.slice();
    flipped[flipped.length - 10]! ^= 0x40;
    expect(() => loadIndexBytes(flipped)).toThrow(/checksum mismatch/);
    expect(() => loadIndexBytes(hnswlibBytes(index))).toThrow(/expected a twinembed index/);
    expect(() => loadIndexBytes(new Uint8Array(0))).toThrow(/expected a twinembed index/);
  });
});
