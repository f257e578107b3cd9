// Indexes in Chromium: built in the worker, kept in IndexedDB across a page reload (and removed), read from files
// @twinembed/node wrote (hnswlib-node's graph included), and a save refused by the storage quota
// leaving the copy saved before intact.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createNodeIndex, loadHnswlibNode, loadIndex, saveIndex, type IndexBackend } from '@twinembed/node';
import { describeInChromium, openTestPage, type TestBrowser } from '../support/browser.js';
import { randomUnitVectors } from '../support/vector-data.js';

const DIM = 16;
const vectors = Array.from(randomUnitVectors(400, DIM, 1));
const queries = Array.from(randomUnitVectors(5, DIM, 2));
const ids = Array.from({ length: 400 }, (_, i) => `doc-${i}`);
const metadata = ids.map((_, i) => ({ group: i % 3 }));
const hasHnswlibNode = !(loadHnswlibNode() instanceof Error);

describeInChromium('indexes in Chromium', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await openTestPage(inject('testPageDir'));
  });
  afterAll(() => browser?.close());

  test('built in the worker and saved in IndexedDB: the same neighbours after a page reload', async () => {
    const before = await browser.page.evaluate(async ({ vectors, queries, ids, metadata, dim }) => {
      const client = window.newWorkerClient();
      const { index } = await client.createIndex({ dim, metric: 'cosine' });
      await client.addToIndex({ index, ids, vectors: Float32Array.from(vectors), metadata });
      const results = await client.search({ index, queries: Float32Array.from(queries), k: 10, filter: { group: 1 } });
      const store = await window.twinembed.openStore();
      const saved = await store.saveIndex('docs', await client.indexBytes({ index }));
      store.close();
      client.close();
      return { saved, results: results.map((r) => ({ ids: r.ids, distances: Array.from(r.distances) })) };
    }, { vectors, queries, ids, metadata, dim: DIM });
    expect(before.results.map((r) => r.ids.length)).toEqual([10, 10, 10, 10, 10]);

    await browser.reload();
    const after = await browser.page.evaluate(async ({ queries }) => {
      const store = await window.twinembed.openStore();
      const index = await store.loadIndex('docs');
      const listed = await store.list();
      const results = index.searchBatch(Float32Array.from(queries), 10, { filter: { group: 1 } });
      const removed = [await store.remove('index', 'docs'), await store.remove('index', 'docs')];
      const missing = await store.loadIndex('docs').then(() => 'loaded', (error: Error) => error.message);
      store.close();
      return { listed, removed, missing, size: index.size, metadata: index.metadata('doc-4'), results: results.map((r) => ({ ids: r.ids, distances: Array.from(r.distances) })) };
    }, { queries });
    expect(after.results).toEqual(before.results);
    expect(after.listed).toEqual([before.saved]);
    expect([after.size, after.metadata]).toEqual([400, { group: 1 }]);
    expect(after.removed).toEqual([true, false]);
    expect(after.missing).toBe('[twinembed:storage] cannot load index "docs" in IndexedDB "twinembed": expected a saved index of that name, got no saved index');
  });

  test('a worker whose script does not load rejects the calls made to it, with one clear error', async () => {
    const message = await browser.page.evaluate(async () => {
      const client = window.twinembed.createWorkerClient(new Worker('/files/no-such-worker.js', { type: 'module' }));
      return client.createIndex({ dim: 2 }).then(() => 'resolved', (error: Error) => error.message);
    });
    expect(message).toBe('[twinembed:worker] the worker failed: its script did not load, or threw while loading');
  });

  const backends: [IndexBackend, boolean][] = [['hnsw', true], ['hnswlib', hasHnswlibNode]];
  test.each(backends)('an index file written by @twinembed/node (%s) gives the same neighbours in the browser', async (backend, available) => {
    if (!available) return expect.fail('hnswlib-node is not built here: run pnpm install with npm_config_nodedir=/usr');
    const { index, notice } = createNodeIndex({ backend, dim: DIM, metric: 'cosine' });
    expect(notice).toBeUndefined();
    index.add(ids, Float32Array.from(vectors), { metadata });
    const path = join(browser.filesDir, `${backend}.twix`);
    await saveIndex(index, path);
    const expected = (await loadIndex(path)).index.searchBatch(Float32Array.from(queries), 10, { filter: { group: 2 } });
    const found = await browser.page.evaluate(async ({ file, queries }) => {
      const index = await window.twinembed.loadIndex(file);
      const results = index.searchBatch(Float32Array.from(queries), 10, { filter: { group: 2 } });
      return { backend: index.backend, results: results.map((r) => ({ ids: r.ids, distances: Array.from(r.distances) })) };
    }, { file: `/files/${backend}.twix`, queries });
    expect(found.backend).toBe('hnsw'); // the TypeScript HNSW reads hnswlib's graph as it is
    expect(found.results.map((r) => r.ids)).toEqual(expected.map((r) => r.ids));
    // hnswlib-node sums with SIMD in float32, TypeScript in another order: last-bit differences only.
    found.results.forEach((r, q) => r.distances.forEach((d, i) => expect(Math.abs(d - expected[q]!.distances[i]!)).toBeLessThan(1e-6)));
  });
});

// Chromium fixes an origin's quota when its storage is first used: this test gets an origin of its own.
describeInChromium('IndexedDB over its quota', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await openTestPage(inject('testPageDir'));
  });
  afterAll(() => browser?.close());

  test('a save the storage quota refuses is reported, and the copy saved before still loads', async () => {
    const origin = browser.url.replace(/\/$/, '');
    const cdp = await browser.context.newCDPSession(browser.page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1_000_000 }); // the big index below is 2.6 MB
    const saveSmall = await browser.page.evaluate(async ({ dim }) => {
      const { createIndex, openStore } = window.twinembed;
      const index = createIndex({ dim, backend: 'flat' });
      index.add([1, 2, 3], Float32Array.from({ length: 3 * dim }, (_, i) => i % 7));
      const store = await openStore({ database: 'quota-test' });
      const saved = await store.saveIndex('kept', index);
      store.close();
      return { saved };
    }, { dim: DIM });

    const saveBig = () => browser.page.evaluate(async ({ dim }) => {
      const { createIndex, openStore } = window.twinembed;
      const big = createIndex({ dim, backend: 'flat', capacity: 40_000 });
      big.add(Array.from({ length: 40_000 }, (_, i) => i), Float32Array.from({ length: 40_000 * dim }, (_, i) => Math.sin(i)));
      const store = await openStore({ database: 'quota-test' });
      try {
        return { saved: await store.saveIndex('kept', big) };
      } catch (error) {
        return { error: `${(error as Error).name}: ${(error as Error).message}` };
      } finally {
        store.close();
      }
    }, { dim: DIM });
    const refused = await saveBig();
    expect(refused.error).toMatch(/^TwinembedError: \[twinembed:storage\] cannot save index "kept" in IndexedDB "quota-test" \(the copy saved before, if any, is unchanged\): QuotaExceededError/);
    expect(refused.error).not.toMatch(/: $/);

    const readKept = () => browser.page.evaluate(async () => {
      const store = await window.twinembed.openStore({ database: 'quota-test' });
      const [index, listed] = [await store.loadIndex('kept'), await store.list('index')];
      store.close();
      return { size: index.size, listed };
    });
    expect(await readKept()).toEqual({ size: 3, listed: [saveSmall.saved] });

    await cdp.send('Storage.overrideQuotaForOrigin', { origin }); // back to the browser's own quota
    await browser.reload();
    const accepted = await saveBig();
    expect(accepted.error).toBeUndefined();
    expect(await readKept()).toEqual({ size: 40_000, listed: [accepted.saved] });
  });
});
