// The Chromium side of bench/browser.ts: each variant is a fresh dedicated worker (the test page's
// worker client, test/support/browser.ts) holding the default model's embedder and trainer on
// onnxruntime-web; the page times the worker calls, so the figures include what an app pays to use a worker.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainBatch, TwinembedClient, WebRuntimeOptions } from '@twinembed/web';
import type { TestBrowser } from '../test/support/browser.js';
import { EMBED_BATCH, LOSS, LR, MODEL_DIR, MODEL_FILES, SIZE, TRAIN_BATCH, type Variant } from './browser-workload.js';

interface PageVariant { client: TwinembedClient; embedder: string; trainer: string; images: Float32Array[]; batch: TrainBatch }
declare global {
  interface Window { benchVariants?: Record<string, PageVariant> }
}

/** What the page knows of its browser: isolation (wasm threads need it), cores, and the WebGPU adapter, if any. */
export interface PageFacts {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  adapter?: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean };
}

/** Serves the default model from the page's origin under /files/omniglot/. */
export function serveModel(browser: TestBrowser): string {
  mkdirSync(join(browser.filesDir, 'omniglot'), { recursive: true });
  for (const file of MODEL_FILES) copyFileSync(join(MODEL_DIR, file), join(browser.filesDir, 'omniglot', file));
  return '/files/omniglot/';
}

export function pageFacts(browser: TestBrowser): Promise<PageFacts> {
  return browser.page.evaluate(async () => {
    type Adapter = { info?: Record<string, string | boolean>; isFallbackAdapter?: boolean };
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    const info = adapter?.info ?? {};
    return {
      userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency,
      adapter: adapter ? {
        vendor: String(info.vendor ?? ''), architecture: String(info.architecture ?? ''), description: String(info.description ?? ''),
        isFallbackAdapter: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
      } : undefined,
    };
  });
}

/** Starts a worker running the model on onnxruntime-web with `runtime`; the variant's calls time themselves in the page. */
export async function browserVariant(
  browser: TestBrowser, name: string, model: string, runtime: WebRuntimeOptions, images: Float32Array[], pixels: { anchor: Float32Array; positive: Float32Array },
): Promise<Variant> {
  const { page } = browser;
  const threadWorkers = () => page.workers().filter((w) => new URL(w.url()).pathname.startsWith('/ort/')).length;
  const workersBefore = threadWorkers();
  const started = await page.evaluate(async ({ name, model, runtime, images, anchor, positive, size, embedBatch, trainBatch, loss, lr }) => {
    const { createTensor } = window.twinembed;
    const client = window.newWorkerClient();
    const choice = { ...runtime, wasmPaths: window.wasmPaths };
    const embedder = await client.loadEmbedder({ model, batchSize: embedBatch, runtime: choice });
    const trainer = await client.createTrainer({ model, loss, lr, runtime: choice });
    const dims = [trainBatch, 1, size, size];
    const batch = { 'anchor.pixels': createTensor('float32', Float32Array.from(anchor), dims), 'positive.pixels': createTensor('float32', Float32Array.from(positive), dims) };
    const variant = { client, embedder: embedder.embedder, trainer: trainer.trainer, images: images.map((x) => Float32Array.from(x)), batch };
    window.benchVariants = { ...window.benchVariants, [name]: variant };
    const rows = await client.embed({ embedder: variant.embedder, inputs: variant.images });
    return { embedder, trainer, rows: Array.from(rows) };
  }, {
    name, model, runtime, images: images.map((x) => Array.from(x)), anchor: Array.from(pixels.anchor), positive: Array.from(pixels.positive),
    size: SIZE, embedBatch: EMBED_BATCH, trainBatch: TRAIN_BATCH, loss: LOSS, lr: LR,
  });
  const { embedder, trainer } = started;
  const spawned = threadWorkers() - workersBefore;
  const providers = embedder.executionProvider === trainer.executionProvider ? embedder.executionProvider : `${embedder.executionProvider} (embed), ${trainer.executionProvider} (train)`;
  return {
    name, executionProvider: providers, fallbacks: [...new Set([...embedder.fallbacks, ...trainer.fallbacks])], rows: Float32Array.from(started.rows),
    notes: [`onnxruntime-web started ${spawned} thread worker${spawned === 1 ? '' : 's'} (numThreads ${runtime.numThreads ?? 'default'})`],
    embed: (batches) => page.evaluate(async ({ name, batches }) => {
      const variant = window.benchVariants![name]!;
      const start = performance.now();
      for (let i = 0; i < batches; i++) await variant.client.embed({ embedder: variant.embedder, inputs: variant.images });
      return performance.now() - start;
    }, { name, batches }),
    train: async (steps) => {
      const { ms, losses } = await page.evaluate(async ({ name, steps }) => {
        const variant = window.benchVariants![name]!;
        const start = performance.now();
        const result = await variant.client.train({ trainer: variant.trainer, batches: Array.from({ length: steps }, () => variant.batch) });
        return { ms: performance.now() - start, losses: result.losses };
      }, { name, steps });
      if (losses.length !== steps || !losses.every(Number.isFinite)) throw new Error(`${name}: expected ${steps} finite losses, got ${JSON.stringify(losses)}`);
      return ms;
    },
    close: () => page.evaluate((name) => window.benchVariants![name]!.client.close(), name),
  };
}
