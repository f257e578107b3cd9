// Index files: atomic writes, and truncated or corrupt files refused with a clear error.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createIndex } from '@twinembed/core';
import { createNodeIndex } from './hnswlib-index.js';
import { loadIndex, saveIndex } from './index-file.js';

const dir = mkdtempSync(join(tmpdir(), 'twinembed-index-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rows(n: number, dim: number): Float32Array {
  return Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
}

describe('saveIndex / loadIndex', () => {
  for (const backend of ['flat', 'hnsw', 'hnswlib'] as const) {
    it(`round-trips a ${backend} index with ids and metadata`, async () => {
      const { index } = createNodeIndex({ backend, dim: 8, metric: 'l2' });
      const ids = Array.from({ length: 300 }, (_, i) => `doc-${i}`);
      index.add(ids, rows(300, 8), { metadata: ids.map((_, i) => ({ even: i % 2 === 0 })) });
      const path = join(dir, `${backend}.twix`);
      await saveIndex(index, path);
      const { index: loaded, notice } = await loadIndex(path);
      expect(notice).toBeUndefined();
      expect(loaded.backend).toBe(backend);
      const queries = rows(10, 8).map((x) => x * 0.9);
      expect(loaded.searchBatch(queries, 5, { filter: { even: true } })).toEqual(index.searchBatch(queries, 5, { filter: { even: true } }));
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }

  it('refuses truncated, corrupt and missing files', async () => {
    const index = createIndex({ backend: 'hnsw', dim: 8, metric: 'cosine' });
    index.add([1, 2, 3], rows(3, 8));
    const path = join(dir, 'good.twix');
    await saveIndex(index, path);
    const bytes = readFileSync(path);
    writeFileSync(join(dir, 'cut.twix'), bytes.subarray(0, bytes.length - 7));
    await expect(loadIndex(join(dir, 'cut.twix'))).rejects.toThrow(/\[twinembed:io\] cannot load index .*cut\.twix.*truncated/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5]! ^= 1;
    writeFileSync(join(dir, 'flip.twix'), flipped);
    await expect(loadIndex(join(dir, 'flip.twix'))).rejects.toThrow(/checksum mismatch/);
    writeFileSync(join(dir, 'junk.twix'), 'not an index at all');
    await expect(loadIndex(join(dir, 'junk.twix'))).rejects.toThrow(/expected a twinembed index/);
    await expect(loadIndex(join(dir, 'absent.twix'))).rejects.toThrow(/cannot read index/);
  });

  it('leaves the old file whole when a write fails', async () => {
    const index = createIndex({ backend: 'flat', dim: 2 });
    index.add([1], [new Float32Array([1, 0])]);
    await expect(saveIndex(index, join(dir, 'no-such-dir', 'x.twix'))).rejects.toThrow(/cannot write index/);
  });
});
