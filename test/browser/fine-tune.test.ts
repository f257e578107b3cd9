// Fine-tuning in Chromium through the worker client: a conv4 encoder (8 channels, seeded) trained a
// few AdamW steps on one batch lowers the loss and gives Node's losses (onnxruntime-node CPU) for the
// same seed and batch; the exported model, saved in IndexedDB and loaded after a reload, embeds as in Node.
// WebGPU trains koch-cnn-a instead: conv4 cannot train there yet (shape inference stops at its
// GroupNorm's ReduceMean, so its MaxPool gradients use MaxPool's Indices output, which onnxruntime's
// WebGPU provider does not implement).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { buildTrainStep, createAdamW, createTensor, createTrainer, encodeModel, loadEmbedder, nodeRuntime, readSafetensors, seededRandom, type NamedLossOptions, type TrainBatch } from '@twinembed/node';
import { conv4Encoder } from '../../packages/core/src/encoders/conv4-encoder.js';
import { describeInChromium, openTestPage, worstDifference, type TestBrowser } from '../support/browser.js';
import { hasShared, sharedPath } from '../support/paths.js';

const LR = 1e-3;
const LOSS = 'MultipleNegativesRankingLoss';
const manifest = { modality: 'image', image: { channels: 1 } };
const SIZE = 28;
const encoder = encodeModel(conv4Encoder({ channels: 8, size: SIZE, seed: 0 }).toModel());

interface PairBatch { anchor: number[]; positive: number[] }

/** A training run in the browser: `steps` AdamW steps on one batch (feeds by name → pixel values). */
interface BrowserRun {
  model: string; provider: 'wasm' | 'webgpu'; loss: string; lossOptions?: NamedLossOptions; lr: number; steps: number;
  feeds: Record<string, number[]>;
  /** Save the exported model in IndexedDB under this name. */
  saveAs?: string;
}

/** Four blob images in [0, 1] and, as positives, the same blobs moved by a pixel with a little noise. */
function pairBatch(size: number, seed: number): PairBatch {
  const next = seededRandom(seed);
  const anchor: number[] = [];
  const positive: number[] = [];
  for (let image = 0; image < 4; image++) {
    const [cx, cy, r] = [size * (0.25 + 0.5 * next()), size * (0.25 + 0.5 * next()), size * (0.1 + 0.1 * next())];
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      anchor.push(Math.hypot(x - cx, y - cy) < r ? 1 : 0);
      positive.push(Math.min(1, (Math.hypot(x - cx - 1, y - cy) < r ? 1 : 0) + 0.1 * next()));
    }
  }
  return { anchor, positive };
}

/** Node's losses (onnxruntime-node CPU) for `steps` steps on one batch: the oracle. */
async function nodeLosses(model: Uint8Array, batch: TrainBatch, run: Pick<BrowserRun, 'loss' | 'lossOptions' | 'lr' | 'steps'>): Promise<number[]> {
  const { loss, lossOptions, lr, steps } = run;
  const step = buildTrainStep({ encoder: model, output: 'embedding', pooling: 'none', loss, lossOptions, optimizer: createAdamW() });
  const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr });
  const losses = await trainer.train(Array.from({ length: steps }, () => batch));
  await trainer.release();
  return losses;
}

describeInChromium('fine-tuning in Chromium through the worker', () => {
  let browser: TestBrowser;
  const batch = pairBatch(SIZE, 11);
  const pixels = (values: number[]) => createTensor('float32', Float32Array.from(values), [values.length / (SIZE * SIZE), 1, SIZE, SIZE]);
  beforeAll(async () => {
    browser = await openTestPage(inject('testPageDir'));
    mkdirSync(join(browser.filesDir, 'conv4'));
    writeFileSync(join(browser.filesDir, 'conv4', 'model.onnx'), encoder);
    writeFileSync(join(browser.filesDir, 'conv4', 'twinembed.json'), JSON.stringify(manifest));
    if (hasShared) {
      mkdirSync(join(browser.filesDir, 'koch'));
      copyFileSync(sharedPath('fixtures', 'koch-cnn-a', 'encoder.onnx'), join(browser.filesDir, 'koch', 'model.onnx'));
    }
  });
  afterAll(() => browser?.close());

  /** Runs `run` in a fresh worker; returns the trainer's info, the result, the progress and what the store says of the save. */
  const trainInBrowser = (run: BrowserRun) => browser.page.evaluate(async ({ model, provider, loss, lossOptions, lr, steps, feeds, saveAs, size }) => {
    const { createTensor, openStore } = window.twinembed;
    const client = window.newWorkerClient();
    const info = await client.createTrainer({ model, loss, lossOptions, lr, runtime: { executionProviders: [provider], wasmPaths: window.wasmPaths } });
    const batch = Object.fromEntries(Object.entries(feeds).map(([name, values]) => [name, createTensor('float32', Float32Array.from(values), [values.length / (size * size), 1, size, size])]));
    const progress: unknown[] = [];
    const result = await client.train({ trainer: info.trainer, batches: Array.from({ length: steps }, () => batch) }, { onProgress: (p) => progress.push(p) });
    let saved;
    if (saveAs) {
      const store = await openStore();
      saved = await store.saveModel(saveAs, await client.exportModel({ trainer: info.trainer }));
      store.close();
    }
    client.close();
    return { info, result, progress, saved };
  }, { ...run, size: SIZE });

  test('wasm: three steps lower the loss and match Node\'s losses within 1e-4; the saved model reloads and embeds as in Node', async () => {
    const run: BrowserRun = { model: '/files/conv4/', provider: 'wasm', loss: LOSS, lr: LR, steps: 3, feeds: { 'anchor.pixels': batch.anchor, 'positive.pixels': batch.positive }, saveAs: 'conv4-tuned' };
    const expected = await nodeLosses(encoder, { 'anchor.pixels': pixels(batch.anchor), 'positive.pixels': pixels(batch.positive) }, run);
    const { info, result, progress, saved } = await trainInBrowser(run);
    expect(info).toMatchObject({ executionProvider: 'wasm', batchInputs: ['anchor.pixels', 'positive.pixels'] });
    expect(result).toMatchObject({ step: 3, cancelled: false });
    expect(result.losses[2]!).toBeLessThan(result.losses[0]!);
    if (process.env.TWINEMBED_REPORT) console.log(`chromium wasm vs node-cpu losses: ${result.losses.map((l, i) => Math.abs(l - expected[i]!).toExponential(2)).join(', ')}`);
    expect(worstDifference(result.losses, expected)).toBeLessThanOrEqual(1e-4); // float32 sums in another order: measured ≤ 1e-6
    expect(progress).toEqual(result.losses.map((loss, i) => ({ kind: 'train', step: i + 1, loss, lr: LR, stepsPerSecond: expect.any(Number), executionProvider: 'wasm' })));

    await browser.reload();
    const reloaded = await browser.page.evaluate(async ({ anchor }) => {
      const { loadWebEmbedder, openStore, webRuntime } = window.twinembed;
      const store = await openStore();
      const model = await store.loadModel('conv4-tuned');
      const listed = await store.list('model');
      store.close();
      const embedder = await loadWebEmbedder(model, { runtime: webRuntime({ wasmPaths: window.wasmPaths }) });
      const images = Array.from({ length: 4 }, (_, i) => Float32Array.from(anchor.slice(i * 784, (i + 1) * 784)));
      const rows = await embedder.embedMatrix(images);
      await embedder.dispose();
      return { onnx: Array.from(model.onnx), manifest: model.manifest, listed, rows: Array.from(rows) };
    }, { anchor: batch.anchor });
    expect(reloaded.listed).toEqual([saved]);
    expect(reloaded.manifest).toEqual({ ...manifest, output: 'embedding', pooling: 'none', normalize: true });
    const dir = join(browser.filesDir, 'tuned');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.onnx'), Uint8Array.from(reloaded.onnx));
    writeFileSync(join(dir, 'twinembed.json'), JSON.stringify(reloaded.manifest));
    const inNode = await loadEmbedder(dir);
    const anchors = Array.from({ length: 4 }, (_, i) => Float32Array.from(batch.anchor.slice(i * 784, (i + 1) * 784)));
    expect(worstDifference(reloaded.rows, await inNode.embedMatrix(anchors))).toBeLessThanOrEqual(1e-5);
    await inNode.dispose();
  });

  test.skipIf(!hasShared)('webgpu (SwiftShader): koch-cnn-a, two TripletLoss steps match Node\'s losses within 1e-3', async () => {
    const inputs = readSafetensors(readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'inputs.safetensors')));
    const [x1, x2, x3] = ['x1', 'x2', 'x3'].map((x) => inputs.get(x)!);
    const feeds = { 'anchor.image': Array.from(x1!.data as Float32Array), 'positive.image': Array.from(x2!.data as Float32Array), 'negative.image': Array.from(x3!.data as Float32Array) };
    const run: BrowserRun = { model: '/files/koch/', provider: 'webgpu', loss: 'TripletLoss', lossOptions: { margin: 1 }, lr: 1e-2, steps: 2, feeds };
    const expected = await nodeLosses(readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'encoder.onnx')), { 'anchor.image': x1!, 'positive.image': x2!, 'negative.image': x3! }, run);
    const { info, result } = await trainInBrowser(run);
    expect(info.executionProvider).toBe('webgpu');
    if (process.env.TWINEMBED_REPORT) console.log(`chromium webgpu vs node-cpu losses: ${result.losses.map((l, i) => Math.abs(l - expected[i]!).toExponential(2)).join(', ')}`);
    expect(result.losses[1]!).toBeLessThan(result.losses[0]!);
    expect(worstDifference(result.losses, expected)).toBeLessThanOrEqual(1e-3);
  });
});
