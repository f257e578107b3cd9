// The browser path, run in Node: the wasm runtime and a fetch that serves the fixture directory.
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { readSafetensors } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../test/support/paths.js';
import { loadWebEmbedder } from './web-embedder.js';

const FILES: Record<string, string> = {
  'model.onnx': sharedPath('fixtures', 'bert-tiny-a', 'model.dynamo.onnx'),
  'tokenizer.json': sharedPath('fixtures', 'bert-tiny-a', 'hf', 'tokenizer.json'),
  'tokenizer_config.json': sharedPath('fixtures', 'bert-tiny-a', 'hf', 'tokenizer_config.json'),
};

async function fakeFetch(url: string): Promise<Response> {
  const file = FILES[url.replace('https://models.example/bert/', '')];
  return file ? new Response(await readFile(file)) : new Response('not found', { status: 404 });
}

describe.skipIf(!hasShared)('loadWebEmbedder', () => {
  test('fetches a model directory and matches sentence-transformers on wasm', async () => {
    const embedder = await loadWebEmbedder('https://models.example/bert/', { fetch: fakeFetch, pooling: 'mean' });
    const sentences: string[] = JSON.parse(await readFile(sharedPath('fixtures', 'bert-tiny-a', 'sentences.json'), 'utf8')).sentences;
    const rows = await embedder.embed(sentences);
    const want = readSafetensors(await readFile(sharedPath('fixtures', 'bert-tiny-a', 'embeddings.safetensors'))).get('embeddings_mean_normalized')!.data as Float32Array;
    const worst = Math.max(...rows.flatMap((row, r) => Array.from(row, (v, j) => Math.abs(v - want[r * 64 + j]!))));
    expect(worst).toBeLessThan(5e-7); // same bound as onnxruntime-node: only the summation order differs
    await embedder.dispose();
  });

  test('a missing model.onnx is one clear error', async () => {
    await expect(loadWebEmbedder('https://models.example/none', { fetch: fakeFetch })).rejects.toThrow(/^\[twinembed:io\] cannot fetch "https:\/\/models.example\/none\/model.onnx": expected 200, got 404/);
  });
});
