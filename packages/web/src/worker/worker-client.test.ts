// The worker client over a MessageChannel (the same structured cloning and transfers as a Worker):
// every result equals the local client's and core's own, progress streams, cancel stops training
// between steps, and errors arrive as TwinembedErrors with their area and message.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  buildTrainStep, createAdamW, createIndex, createTensor, createTrainer, encodeModel, exportEncoder, GraphBuilder, loadIndexBytes,
  seededRandom, TwinembedError, type ModelFiles, type TrainBatch,
} from '@twinembed/core';
import { webRuntime } from '../web-runtime.js';
import { createOperations } from './operations.js';
import type { Progress } from './protocol.js';
import { serveWorker, type MessageEndpoint } from './serve-worker.js';
import { createLocalClient, createWorkerClient, type TwinembedClient } from './worker-client.js';

/** pixels [batch, 1, 4, 4] → tanh(flatten · W) [batch, 4]: an image encoder small enough for any runtime. */
function tinyEncoder(): Uint8Array {
  const b = new GraphBuilder();
  const next = seededRandom(3);
  const x = b.input('pixels', 'float32', ['batch', 1, 4, 4]);
  const w = b.param('proj.weight', Float32Array.from({ length: 64 }, () => next() - 0.5), [16, 4]);
  b.output(b.op.Tanh(b.op.MatMul(b.op.Flatten(x, { axis: 1 }), w)), 'embedding');
  return encodeModel(b.toModel());
}
const model = (): ModelFiles => ({ onnx: tinyEncoder(), manifest: { modality: 'image', normalize: false } });

function images(count: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: count * 16 }, () => next());
}
const pixels = (data: Float32Array) => createTensor('float32', data, [data.length / 16, 1, 4, 4]);
const batch = (seed: number): TrainBatch => {
  const anchor = images(4, seed);
  return { 'anchor.pixels': pixels(anchor), 'positive.pixels': pixels(anchor.map((v, i) => v + 0.05 * Math.sin(i))) };
};

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** A client and a served endpoint at the two ends of a MessageChannel. */
function channelClient(operations = createOperations()): TwinembedClient {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveWorker({ endpoint: port1 as unknown as MessageEndpoint, operations });
  return createWorkerClient(port2 as unknown as MessageEndpoint);
}

describe('embedding and indexes through the worker client', () => {
  test('the same embeddings as the local client, progress per batch, the provider named', async () => {
    const inputs = Array.from({ length: 10 }, (_, i) => images(1, i));
    const results = await Promise.all([channelClient(), createLocalClient()].map(async (client) => {
      const info = await client.loadEmbedder({ model: model(), batchSize: 4 });
      const progress: Progress[] = [];
      const vectors = await client.embed({ embedder: info.embedder, inputs }, { onProgress: (p) => progress.push(p) });
      return { info, progress, vectors };
    }));
    const [worker, local] = results as [typeof results[0], typeof results[0]];
    expect(worker.info).toMatchObject({ dim: 4, modality: 'image', executionProvider: 'wasm', fallbacks: [] });
    expect(worker.vectors).toBeInstanceOf(Float32Array);
    expect(Array.from(worker.vectors)).toEqual(Array.from(local.vectors));
    expect(worker.progress).toEqual([{ kind: 'embed', done: 4, total: 10 }, { kind: 'embed', done: 8, total: 10 }, { kind: 'embed', done: 10, total: 10 }]);
    expect(worker.progress).toEqual(local.progress);
  });

  test('prompt and promptName reach the embedder (an image model refuses a non-empty prompt)', async () => {
    const client = channelClient();
    const { embedder } = await client.loadEmbedder({ model: model() });
    await expect(client.embed({ embedder, inputs: [images(1, 1)], prompt: 'query: ' })).rejects.toThrow(/prompt/);
    await expect(client.embed({ embedder, inputs: [images(1, 1)], prompt: '' })).resolves.toBeInstanceOf(Float32Array);
  });

  test('index operations give what core\'s index gives; its bytes load anywhere', async () => {
    const client = channelClient();
    const vectors = images(50, 7);
    const queries = images(3, 8);
    const ids = Array.from({ length: 50 }, (_, i) => `v${i}`);
    const metadata = ids.map((_, i) => ({ even: i % 2 === 0 }));
    const oracle = createIndex({ dim: 16, metric: 'l2' });
    oracle.add(ids, vectors, { metadata });
    const { index } = await client.createIndex({ dim: 16, metric: 'l2' });
    expect(await client.addToIndex({ index, ids, vectors, metadata })).toEqual({ index, backend: 'hnsw', dim: 16, metric: 'l2', size: 50 });
    const expected = oracle.searchBatch(queries, 5, { filter: { even: true } });
    expect(await client.search({ index, queries, k: 5, filter: { even: true } })).toEqual(expected);
    const bytes = await client.indexBytes({ index });
    expect(loadIndexBytes(bytes).searchBatch(queries, 5, { filter: { even: true } })).toEqual(expected);
    const reloaded = await client.loadIndex({ source: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
    expect(await client.search({ index: reloaded.index, queries, k: 5, filter: { even: true } })).toEqual(expected);
  });

  test('typed arrays are copied to the worker unless the call asks to transfer them', async () => {
    const client = channelClient();
    const { index } = await client.createIndex({ dim: 16, backend: 'flat' });
    const kept = images(2, 1);
    await client.addToIndex({ index, ids: [1, 2], vectors: kept });
    expect(kept.length).toBe(32);
    const moved = images(2, 2);
    await client.addToIndex({ index, ids: [3, 4], vectors: moved }, { transfer: true });
    expect(moved.length).toBe(0); // detached: its buffer now belongs to the worker
    expect((await client.search({ index, queries: images(1, 2).subarray(0, 16), k: 1 }))[0]!.ids).toEqual([3]);
  });
});

describe('fine-tuning through the worker client', () => {
  const lr = 0.05;
  const batches = [batch(1), batch(2), batch(3), batch(1)];

  test('the same losses as core\'s trainer on webRuntime, each step streamed with its provider', async () => {
    const client = channelClient();
    const info = await client.createTrainer({ model: model(), loss: 'MultipleNegativesRankingLoss', lr });
    expect(info).toMatchObject({ executionProvider: 'wasm', batchInputs: ['anchor.pixels', 'positive.pixels'], parameters: { tensors: 1, values: 64 } });
    const progress: Progress[] = [];
    const result = await client.train({ trainer: info.trainer, batches }, { onProgress: (p) => progress.push(p) });

    const step = buildTrainStep({ encoder: tinyEncoder(), pooling: 'none', loss: 'MultipleNegativesRankingLoss', optimizer: createAdamW() });
    const direct = await createTrainer({ runtime: webRuntime(), step, lr });
    expect(result).toEqual({ losses: await direct.train(batches), step: 4, cancelled: false });
    expect(result.losses[3]!).toBeLessThan(result.losses[0]!); // batch 1 again, after three updates
    expect(progress.map((p) => p.kind === 'train' && [p.step, p.loss, p.executionProvider])).toEqual(result.losses.map((loss, i) => [i + 1, loss, 'wasm']));

    const exported = await client.exportModel({ trainer: info.trainer });
    expect(exported.manifest).toEqual({ modality: 'image', normalize: false, output: 'embedding', pooling: 'none' });
    const expectedOnnx = exportEncoder({ encoder: tinyEncoder(), params: direct.checkpoint().params, discovery: step.discovery });
    expect(Buffer.from(exported.onnx).equals(Buffer.from(expectedOnnx))).toBe(true);
    expect(await client.evaluate({ trainer: info.trainer, batches: [batch(1)] })).toBe(await direct.evaluate([batch(1)]));
    await direct.release();
    await client.dispose({ handle: info.trainer });
    await expect(client.train({ trainer: info.trainer, batches })).rejects.toThrow(/unknown trainer "trainer-1": expected a handle from createTrainer \(never created, or disposed\)/);
  });

  test('an AbortSignal stops training between steps and keeps the steps taken', async () => {
    const client = channelClient();
    const { trainer } = await client.createTrainer({ model: model(), loss: 'MultipleNegativesRankingLoss', lr });
    const stop = new AbortController();
    const many = Array.from({ length: 30 }, (_, i) => batch(i));
    const result = await client.train({ trainer, batches: many }, { signal: stop.signal, onProgress: () => stop.abort() });
    expect(result.cancelled).toBe(true);
    expect(result.losses.length).toBeGreaterThanOrEqual(1);
    expect(result.losses.length).toBeLessThan(30);
    expect(result.step).toBe(result.losses.length);
  });
});

describe('errors crossing the boundary', () => {
  test('a TwinembedError keeps its area and message', async () => {
    const client = channelClient();
    const local = createLocalClient();
    for (const c of [client, local]) {
      const error = await c.createIndex({ dim: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TwinembedError);
      expect(error).toMatchObject({ area: 'vector-index', message: '[twinembed:vector-index] invalid dim: expected a positive integer, got 0' });
    }
    await expect(client.embed({ embedder: 'index-1', inputs: [] })).rejects.toThrow(/^\[twinembed:worker\] unknown embedder "index-1": expected a handle from loadEmbedder \(never created, or disposed\)$/);
    const { trainer } = await client.createTrainer({ model: model(), loss: 'MultipleNegativesRankingLoss', lr: 0.01 });
    await expect(client.train({ trainer, batches: [{ 'anchor.pixels': batch(1)['anchor.pixels']! }] })).rejects.toThrow(/^\[twinembed:train\] batch 0: expected tensors anchor.pixels, positive.pixels, missing positive.pixels$/);
  });

  test('any other error becomes a TwinembedError of area "worker", naming its type', async () => {
    const operations = { ...createOperations(), search: async () => { throw new TypeError('boom'); } };
    for (const client of [channelClient(operations), createLocalClient(operations)]) {
      const error = await client.search({ index: 'index-1', queries: new Float32Array(2), k: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TwinembedError);
      expect((error as Error).message).toBe('[twinembed:worker] unexpected TypeError: boom');
    }
  });

  test('an unknown operation, and a request that cannot be cloned, fail clearly', async () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    serveWorker({ endpoint: port1 as unknown as MessageEndpoint });
    const reply = new Promise((resolve) => port2.once('message', resolve));
    port2.postMessage({ type: 'call', id: 7, operation: 'format', request: {} });
    expect(await reply).toEqual({ type: 'error', id: 7, error: { area: 'worker', message: expect.stringMatching(/^unknown operation "format": expected one of loadEmbedder, embed, /) } });
    const client = createWorkerClient(port2 as unknown as MessageEndpoint);
    await expect(client.createIndex({ dim: 2, filter: () => true } as never)).rejects.toThrow(/^\[twinembed:worker\] createIndex: the request cannot be sent to the worker/);
  });
});

describe('sources sent to the worker', () => {
  test('relative URLs are resolved against the page, a Response is read in the page', async () => {
    const seen: unknown[] = [];
    const operations = {
      ...createOperations(),
      loadIndex: async (request: unknown) => (seen.push(request), { index: 'index-1', backend: 'flat', dim: 1, metric: 'l2', size: 0 }),
      loadEmbedder: async (request: unknown) => (seen.push(request), { embedder: 'embedder-1', dim: 1, modality: 'text' as const, executionProvider: 'wasm', fallbacks: [] }),
    };
    const client = channelClient(operations);
    vi.stubGlobal('location', { href: 'https://app.example/tools/page.html' });
    try {
      await client.loadIndex({ source: 'indexes/docs.twix' });
      await client.loadIndex({ source: new Response(new Uint8Array([1, 2, 3])) });
      await client.loadEmbedder({ model: { 'model.onnx': '../models/a.onnx', 'tokenizer.json': new Uint8Array([4]) } });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(seen).toEqual([
      { source: 'https://app.example/tools/indexes/docs.twix' },
      { source: new Uint8Array([1, 2, 3]) },
      { model: { 'model.onnx': 'https://app.example/models/a.onnx', 'tokenizer.json': new Uint8Array([4]) } },
    ]);
  });
});
