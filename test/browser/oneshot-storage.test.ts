// One-shot classifiers in Chromium: models/omniglot in a worker enrolls real Omniglot drawings sent as
// Blobs; the classifier is saved in IndexedDB, survives a page reload, restores in a new worker and
// in the page with identical answers, and refuses another model.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { linearImageModel } from '../../packages/core/src/oneshot/one-shot-fixtures.js';
import { describeInChromium, openTestPage, type TestBrowser } from '../support/browser.js';
import { dataPath, REPO_ROOT } from '../support/paths.js';

const ALPHABET = 'Latin';
const CHARACTERS = ['character03', 'character07', 'character12', 'character18', 'character21'];
const DRAWINGS = [0, 6, 13];
const DRAWINGS_DIR = dataPath('omniglot28', 'background', ALPHABET);
const present = existsSync(DRAWINGS_DIR);

describeInChromium('one-shot classifiers in Chromium', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await openTestPage(inject('testPageDir'));
    mkdirSync(join(browser.filesDir, 'omniglot'));
    for (const f of ['model.onnx', 'twinembed.json']) copyFileSync(join(REPO_ROOT, 'models', 'omniglot', f), join(browser.filesDir, 'omniglot', f));
    mkdirSync(join(browser.filesDir, 'other'));
    const other = linearImageModel();
    writeFileSync(join(browser.filesDir, 'other', 'model.onnx'), other.onnx);
    writeFileSync(join(browser.filesDir, 'other', 'twinembed.json'), JSON.stringify(other.manifest));
    if (present) for (const c of CHARACTERS) for (const n of DRAWINGS) {
      copyFileSync(join(DRAWINGS_DIR, c, `${String(n).padStart(2, '0')}.png`), join(browser.filesDir, `${c}-${n}.png`));
    }
  });
  afterAll(() => browser?.close());

  test.skipIf(!present)(`enrolled in a worker, saved in IndexedDB: identical answers after a reload, in a new worker and in the page${present ? '' : ` (skipped: ${DRAWINGS_DIR} is absent)`}`, async () => {
    const files = CHARACTERS.flatMap((c) => DRAWINGS.map((n) => `/files/${c}-${n}.png`));
    const before = await browser.page.evaluate(async ({ characters, files }) => {
      const blobs = await Promise.all(files.map(async (f) => (await fetch(f)).blob()));
      const client = window.newWorkerClient();
      const { embedder } = await client.loadEmbedder({ model: '/files/omniglot/', runtime: { wasmPaths: window.wasmPaths } });
      const { classifier } = await client.createClassifier({ embedder });
      for (const [i, label] of characters.entries()) await client.enroll({ classifier, label, examples: blobs[i * 3]! });
      const results = await client.classify({ classifier, inputs: blobs, k: 5 });
      const store = await window.twinembed.openStore();
      const saved = await store.saveClassifier('latin', await client.classifierSnapshot({ classifier }));
      store.close();
      client.close();
      return { saved, results };
    }, { characters: CHARACTERS, files });
    // Each enrolled drawing (every third input) is its own nearest, at distance 0.
    CHARACTERS.forEach((label, i) => {
      expect(before.results[i * 3]!.label).toBe(label);
      expect(Math.abs(before.results[i * 3]!.distance)).toBeLessThan(1e-6);
    });
    expect(before.saved).toMatchObject({ kind: 'classifier', name: 'latin' });

    await browser.reload();
    const after = await browser.page.evaluate(async ({ files }) => {
      const { openStore, loadWebEmbedder, webRuntime } = window.twinembed;
      const blobs = await Promise.all(files.map(async (f) => (await fetch(f)).blob()));
      const store = await openStore();
      const client = window.newWorkerClient();
      const { embedder } = await client.loadEmbedder({ model: '/files/omniglot/', runtime: { wasmPaths: window.wasmPaths } });
      const { classifier, labels } = await client.loadClassifier({ embedder, snapshot: await store.loadClassifierSnapshot('latin') });
      const inWorker = await client.classify({ classifier, inputs: blobs, k: 5 });
      client.close();
      const runtime = webRuntime({ wasmPaths: window.wasmPaths });
      const inPage = await (await store.loadClassifier('latin', { embedder: await loadWebEmbedder('/files/omniglot/', { runtime }) })).classify(blobs, { k: 5 });
      const other = await loadWebEmbedder('/files/other/', { runtime });
      const refused = await store.loadClassifier('latin', { embedder: other }).then(() => 'loaded', (error: Error) => error.message);
      const listed = await store.list('classifier');
      const removed = await store.remove('classifier', 'latin');
      store.close();
      return { labels, inWorker, inPage, refused, listed, removed };
    }, { files });
    expect(after.labels.map((l) => l.label)).toEqual(CHARACTERS);
    // Same labels in the same order; distances to float32 precision: a restored prototype is recomputed
    // from its stored example embeddings and can differ from the live one in the last bit (~2e-9 seen).
    expect(after.inWorker.map((r) => r.ranking.map((x) => x.label))).toEqual(before.results.map((r) => r.ranking.map((x) => x.label)));
    expect(after.inWorker.map((r) => r.label)).toEqual(before.results.map((r) => r.label));
    after.inWorker.forEach((r, i) => r.ranking.forEach((x, j) => expect(x.distance).toBeCloseTo(before.results[i]!.ranking[j]!.distance, 6)));
    expect(after.inPage.map((r) => r.ranking.map((x) => x.label))).toEqual(before.results.map((r) => r.ranking.map((x) => x.label)));
    after.inPage.forEach((r, i) => r.ranking.forEach((x, j) => expect(x.distance).toBeCloseTo(before.results[i]!.ranking[j]!.distance, 6)));
    expect(after.refused).toMatch(/^\[twinembed:oneshot\] cannot load classifier "latin" in IndexedDB "twinembed": its examples were embedded by a \d+-d image model \(fused ONNX \d+ bytes, CRC-32 [0-9a-f]{8}\), but this embedder is a 8-d image model/);
    expect(after.listed).toEqual([before.saved]);
    expect(after.removed).toBe(true);
  });
});
