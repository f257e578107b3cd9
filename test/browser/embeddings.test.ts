// Embeddings in Chromium equal Node's (onnxruntime-node, CPU) for the same model directory and inputs:
// the bert-tiny-a text model and a conv4 image encoder, through the worker client on wasm (≤ 1e-5)
// and WebGPU (SwiftShader, ≤ 1e-3), and on the page itself from picked files and an OPFS folder.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { decodeImageBytes, encodeModel, encodePng, loadEmbedder, seededRandom } from '@twinembed/node';
import { conv4Encoder } from '../../packages/core/src/encoders/conv4-encoder.js';
import { describeInChromium, openTestPage, worstDifference, type TestBrowser } from '../support/browser.js';
import { hasShared, sharedPath } from '../support/paths.js';

const fixture = (...f: string[]) => sharedPath('fixtures', 'bert-tiny-a', ...f);
const IMAGES = 8;

/** 28 × 28 strokes on black: a few seeded bright bars, so the conv encoder sees structure, not noise. */
function glyph(seed: number): Uint8Array {
  const next = seededRandom(seed);
  const pixels = new Uint8Array(28 * 28);
  for (let bar = 0; bar < 3; bar++) {
    const [x0, y0, horizontal] = [Math.floor(next() * 20), Math.floor(next() * 20), next() < 0.5];
    for (let t = 0; t < 8; t++) for (let w = 0; w < 2; w++) pixels[(horizontal ? y0 + w : y0 + t) * 28 + (horizontal ? x0 + t : x0 + w)] = 155 + Math.floor(next() * 100);
  }
  return pixels;
}

/** The two model directories and the images, under the served files folder. */
function writeModels(dir: string): void {
  mkdirSync(join(dir, 'text'));
  copyFileSync(fixture('model.dynamo.onnx'), join(dir, 'text', 'model.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture('hf', f), join(dir, 'text', f));
  writeFileSync(join(dir, 'text', 'twinembed.json'), JSON.stringify({ pooling: 'mean', normalize: true }));
  mkdirSync(join(dir, 'image'));
  writeFileSync(join(dir, 'image', 'model.onnx'), encodeModel(conv4Encoder({ channels: 8, seed: 0 }).toModel()));
  writeFileSync(join(dir, 'image', 'twinembed.json'), JSON.stringify({ modality: 'image', image: { channels: 1 } }));
  mkdirSync(join(dir, 'images'));
  for (let i = 0; i < IMAGES; i++) writeFileSync(join(dir, 'images', `${i}.png`), encodePng({ data: glyph(i), width: 28, height: 28, channels: 1 }));
}

describeInChromium('embeddings in Chromium = embeddings in Node', () => {
  let browser: TestBrowser;
  const sentences: string[] = hasShared ? JSON.parse(readFileSync(fixture('sentences.json'), 'utf8')).sentences : [];
  const node: Record<'text' | 'image', Float32Array> = { text: new Float32Array(), image: new Float32Array() };

  beforeAll(async () => {
    if (!hasShared) return;
    browser = await openTestPage(inject('testPageDir'));
    writeModels(browser.filesDir);
    const text = await loadEmbedder(join(browser.filesDir, 'text'));
    node.text = await text.embedMatrix(sentences);
    const image = await loadEmbedder(join(browser.filesDir, 'image'));
    node.image = await image.embedMatrix(Array.from({ length: IMAGES }, (_, i) => decodeImageBytes(readFileSync(join(browser.filesDir, 'images', `${i}.png`)))));
    await Promise.all([text.dispose(), image.dispose()]);
  });
  afterAll(() => browser?.close());

  // wasm: the same kernels as onnxruntime-node's CPU provider up to summation order (measured ≤ 2.1e-7);
  // WebGPU: f32 shaders with their own reduction order (measured ≤ 1.8e-7 under SwiftShader). SwiftShader
  // compiles every kernel in software (~20 s for BERT's), so WebGPU embeds 4 sentences of different lengths.
  test.skipIf(!hasShared).each([['wasm', 1e-5, 32], ['webgpu', 1e-3, 4]] as const)('through the worker client on %s: within %s', async (provider, tolerance, count) => {
    const result = await browser.page.evaluate(async ({ sentences, provider, images }) => {
      const client = window.newWorkerClient();
      const runtime = { executionProviders: [provider], wasmPaths: window.wasmPaths };
      const text = await client.loadEmbedder({ model: '/files/text/', runtime });
      const textRows = await client.embed({ embedder: text.embedder, inputs: sentences });
      const image = await client.loadEmbedder({ model: '/files/image/', runtime });
      const blobs = await Promise.all(Array.from({ length: images }, async (_, i) => (await fetch(`/files/images/${i}.png`)).blob()));
      const imageRows = await client.embed({ embedder: image.embedder, inputs: blobs }); // decoded in the worker
      client.close();
      return { providers: [text.executionProvider, image.executionProvider], text: Array.from(textRows), image: Array.from(imageRows) };
    }, { sentences: sentences.slice(0, count), provider, images: IMAGES });
    expect(result.providers).toEqual([provider, provider]);
    const worst = { text: worstDifference(result.text, node.text.subarray(0, count * 64)), image: worstDifference(result.image, node.image) };
    if (process.env.TWINEMBED_REPORT) console.log(`chromium ${provider} vs node-cpu: text ${worst.text.toExponential(2)}, image ${worst.image.toExponential(2)}`);
    expect(worst.text).toBeLessThanOrEqual(tolerance);
    expect(worst.image).toBeLessThanOrEqual(tolerance);
  });

  test.skipIf(!hasShared)('on the page, from picked files (a map of File objects) or an OPFS folder, and loaded images: wasm within 1e-5', async () => {
    const result = await browser.page.evaluate(async ({ sentences }) => {
      const { loadImage, loadModel, loadWebEmbedder, webRuntime } = window.twinembed;
      const picked = new Map<string, File>();
      for (const name of ['model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'twinembed.json']) {
        picked.set(name, new File([await (await fetch(`/files/text/${name}`)).blob()], name));
      }
      const embedder = await loadWebEmbedder(picked, { runtime: webRuntime({ wasmPaths: window.wasmPaths }) });
      const rows = await embedder.embedMatrix(sentences);
      await embedder.dispose();
      // The same folder in the origin private file system, read through its directory handle.
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('bert', { create: true });
      for (const [name, file] of picked) {
        const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
        await writable.write(file);
        await writable.close();
      }
      const [fromMap, fromHandle] = [await loadModel(picked), await loadModel(folder)];
      const sameFiles = fromMap.onnx.length === fromHandle.onnx.length && fromMap.onnx.every((byte, i) => byte === fromHandle.onnx[i])
        && JSON.stringify([fromMap.tokenizer, fromMap.manifest]) === JSON.stringify([fromHandle.tokenizer, fromHandle.manifest]);
      const png = await (await fetch('/files/images/3.png')).arrayBuffer();
      const image = await loadImage(png);
      return { rows: Array.from(rows), sameFiles, image: { width: image.width, channels: image.channels, data: Array.from(image.data) } };
    }, { sentences });
    expect(worstDifference(result.rows, node.text)).toBeLessThanOrEqual(1e-5);
    expect(result.sameFiles).toBe(true);
    const decoded = decodeImageBytes(readFileSync(join(browser.filesDir, 'images', '3.png')));
    expect({ width: result.image.width, channels: result.image.channels }).toEqual({ width: 28, channels: 4 });
    expect(result.image.data).toEqual(Array.from(decoded.data)); // the browser's PNG decoder = pngjs, byte for byte
  });
});
