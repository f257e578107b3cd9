// One-shot classifiers through the worker client over a MessageChannel: the answers of core's own
// classifier on webRuntime, labels as they change, snapshots that restore in another worker (and
// only with the same model), and errors arriving as TwinembedErrors of area "oneshot".
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, test } from 'vitest';
import { createEmbedder, createOneShotClassifier, TwinembedError } from '@twinembed/core';
import { classedImages, linearImageModel } from '../../../core/src/oneshot/one-shot-fixtures.js';
import { webRuntime } from '../web-runtime.js';
import { createOperations } from './operations.js';
import { serveWorker, type MessageEndpoint } from './serve-worker.js';
import { createWorkerClient, type TwinembedClient } from './worker-client.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function channelClient(): TwinembedClient {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveWorker({ endpoint: port1 as unknown as MessageEndpoint, operations: createOperations() });
  return createWorkerClient(port2 as unknown as MessageEndpoint);
}

const { images } = classedImages(4, 4, 0.6, 41);
const queries = images.filter((_, i) => i % 4 === 3);
const supports = (c: number) => images.slice(c * 4, c * 4 + 3);

describe('one-shot classifiers through the worker client', () => {
  test('the same rankings as core\'s classifier on webRuntime; labels and counts as they change', async () => {
    const client = channelClient();
    const { embedder } = await client.loadEmbedder({ model: linearImageModel() });
    const { classifier } = await client.createClassifier({ embedder });
    const direct = createOneShotClassifier({ embedder: await createEmbedder({ runtime: webRuntime(), model: linearImageModel() }) });
    for (let c = 0; c < 4; c++) {
      await client.enroll({ classifier, label: `class ${c}`, examples: supports(c) });
      await direct.enroll(`class ${c}`, supports(c));
    }
    const info = await client.enroll({ classifier, label: 'class 0', examples: images[3]! });
    await direct.enroll('class 0', images[3]!);
    expect(info).toEqual({ classifier, embedder, dim: 8, metric: 'cosine', labels: [{ label: 'class 0', examples: 4 }, ...[1, 2, 3].map((c) => ({ label: `class ${c}`, examples: 3 }))] });
    expect(await client.classify({ classifier, inputs: queries, k: 3 })).toEqual(await direct.classify(queries, { k: 3 }));
    expect((await client.removeLabel({ classifier, label: 'class 2' })).labels.map((l) => l.label)).toEqual(['class 0', 'class 1', 'class 3']);
    direct.remove('class 2');
    expect(await client.classify({ classifier, inputs: queries })).toEqual(await direct.classify(queries));
    await direct.embedder.dispose();
  });

  test('a snapshot restores in another worker with the same model, identically; another model is refused', async () => {
    const [first, second] = [channelClient(), channelClient()];
    const { embedder } = await first.loadEmbedder({ model: linearImageModel() });
    const { classifier } = await first.createClassifier({ embedder, metric: 'euclidean', backend: 'hnsw' });
    for (let c = 0; c < 4; c++) await first.enroll({ classifier, label: `class ${c}`, examples: supports(c) });
    const snapshot = await first.classifierSnapshot({ classifier });
    expect([snapshot.index, snapshot.examples].map((b) => b.constructor.name)).toEqual(['Uint8Array', 'Uint8Array']);
    const same = await second.loadEmbedder({ model: linearImageModel() });
    const restored = await second.loadClassifier({ embedder: same.embedder, snapshot });
    expect([restored.metric, restored.labels.length]).toEqual(['euclidean', 4]);
    expect(await second.classify({ classifier: restored.classifier, inputs: queries, k: 4 })).toEqual(await first.classify({ classifier, inputs: queries, k: 4 }));
    const other = await second.loadEmbedder({ model: linearImageModel(5) });
    await expect(second.loadClassifier({ embedder: other.embedder, snapshot })).rejects.toThrow(/^\[twinembed:oneshot\] cannot restore the one-shot classifier: its examples were embedded by a 8-d image model \(fused ONNX \d+ bytes, CRC-32 [0-9a-f]{8}\), but this embedder is a 8-d image model/);
  });

  test('bad input and unknown handles: TwinembedErrors with their area and message', async () => {
    const client = channelClient();
    const { embedder } = await client.loadEmbedder({ model: linearImageModel() });
    const { classifier } = await client.createClassifier({ embedder });
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as TwinembedError);
    const empty = await failure(client.classify({ classifier, inputs: [images[0]!] }));
    expect(empty).toBeInstanceOf(TwinembedError);
    expect(empty).toMatchObject({ area: 'oneshot', message: '[twinembed:oneshot] classify: expected at least one enrolled label, got none (enroll examples first)' });
    await expect(client.enroll({ classifier, label: '', examples: images[0]! })).rejects.toThrow(/^\[twinembed:oneshot\] enroll: expected a non-empty label, got ""$/);
    await client.enroll({ classifier, label: 'a', examples: [images[0]!] });
    await expect(client.classify({ classifier, inputs: [images[1]!], k: 0 })).rejects.toThrow(/^\[twinembed:oneshot\] classify k: expected an integer ≥ 1/);
    await expect(client.removeLabel({ classifier, label: 'b' })).rejects.toThrow(/^\[twinembed:oneshot\] remove: expected an enrolled label, got "b" \(enrolled: "a"\)$/);
    await expect(client.createClassifier({ embedder, backend: 'hnswlib' as 'hnsw' })).rejects.toThrow(/^\[twinembed:oneshot\] createClassifier backend: expected flat or hnsw, got hnswlib$/);
    await expect(client.createClassifier({ embedder: classifier })).rejects.toThrow(/^\[twinembed:worker\] unknown embedder "classifier-2": expected a handle from loadEmbedder, got a classifier$/);
    await client.dispose({ handle: classifier });
    await expect(client.classify({ classifier, inputs: [images[1]!] })).rejects.toThrow(/^\[twinembed:worker\] unknown classifier "classifier-2": expected a handle from createClassifier or loadClassifier \(never created, or disposed\)$/);
  });
});
