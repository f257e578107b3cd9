// sentence-transformers parity: the fixture BERT's two exports, tokenized from text by our
// tokenizer and pooled inside the fused graph, must give Python's embeddings.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTextTokenizer, readSafetensors, type Pooling } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { nodeRuntime } from '../node-runtime.js';
import { loadEmbedder } from './load-embedder.js';

const newDir = tempDirs('embed');
const fixture = (...f: string[]) => sharedPath('fixtures', 'bert-tiny-a', ...f);

/** A model directory as users have it: model.onnx beside the Hugging Face tokenizer files. */
export function fixtureModelDir(onnxFile: string, manifest?: object): string {
  const dir = newDir();
  copyFileSync(fixture(onnxFile), join(dir, 'model.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture('hf', f), join(dir, f));
  if (manifest) writeFileSync(join(dir, 'twinembed.json'), JSON.stringify(manifest));
  return dir;
}

function worstDiff(rows: Float32Array[], expected: Float32Array, dim: number): number {
  let worst = 0;
  rows.forEach((row, r) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - expected[r * dim + j]!)))));
  return worst;
}

describe.skipIf(!hasShared)('embeddings = sentence-transformers', () => {
  const sentences: string[] = JSON.parse(readFileSync(fixture('sentences.json'), 'utf8')).sentences;
  const inputs = readSafetensors(readFileSync(fixture('inputs.safetensors')));
  const expected = readSafetensors(readFileSync(fixture('embeddings.safetensors')));

  test('token ids equal the Python tokenizer\'s', () => {
    const tokenizer = createTextTokenizer({ json: JSON.parse(readFileSync(fixture('hf', 'tokenizer.json'), 'utf8')) });
    const [n, seq] = inputs.get('input_ids')!.dims as [number, number];
    const ids = inputs.get('input_ids')!.data as BigInt64Array;
    const mask = inputs.get('attention_mask')!.data as BigInt64Array;
    expect(n).toBe(sentences.length);
    sentences.forEach((s, r) => {
      const length = mask.subarray(r * seq, (r + 1) * seq).reduce((a, m) => a + Number(m), 0);
      expect(Array.from(tokenizer.encode(s).ids)).toEqual(Array.from(ids.subarray(r * seq, r * seq + length), Number));
    });
  });

  test('truncation keeps the final [SEP], as Python does', () => {
    const tokenizer = createTextTokenizer({ json: JSON.parse(readFileSync(fixture('hf', 'tokenizer.json'), 'utf8')), maxLength: 5 });
    const full = createTextTokenizer({ json: JSON.parse(readFileSync(fixture('hf', 'tokenizer.json'), 'utf8')) }).encode(sentences[0]!).ids;
    const cut = tokenizer.encode(sentences[0]!).ids;
    expect(full.length).toBeGreaterThan(5);
    expect(Array.from(cut)).toEqual([...Array.from(full.subarray(0, 4)), full[full.length - 1]]);
  });

  const poolings: Pooling[] = ['mean', 'cls', 'max'];
  test.each(['model.legacy.onnx', 'model.dynamo.onnx'].flatMap((f) => poolings.map((p) => [f, p] as const)))('%s, %s pooling + normalize', async (file, pooling) => {
    // Batches of 5 in length order: several paddings per call, restored to the caller's order.
    const embedder = await loadEmbedder(fixtureModelDir(file), { pooling, normalize: true, batchSize: 5 });
    const rows = await embedder.embed(sentences);
    const want = expected.get(`embeddings_${pooling}_normalized`)!;
    expect([rows.length, embedder.dim]).toEqual(want.dims);
    const worst = worstDiff(rows, want.data as Float32Array, embedder.dim);
    // Unit vectors from a 2-layer float32 encoder: PyTorch and onnxruntime differ only in summation order
    // (~1e-7 per op, a few ulps of these ~0.1–0.4 values), so 5e-7 catches any wrong pad, mask or gather.
    expect(worst).toBeLessThan(5e-7); // measured ≤ 1.1e-7 on both exports
    await embedder.dispose();
  });
});

describe.skipIf(!hasShared)('model directories', () => {
  const sentences: string[] = JSON.parse(readFileSync(fixture('sentences.json'), 'utf8')).sentences;
  const expected = readSafetensors(readFileSync(fixture('embeddings.safetensors')));

  test('sentence-transformers configs choose pooling and normalization, as in Python', async () => {
    const dir = fixtureModelDir('model.dynamo.onnx');
    mkdirSync(join(dir, '1_Pooling'));
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: 64, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    writeFileSync(join(dir, 'modules.json'), JSON.stringify([{ type: 'sentence_transformers.models.Transformer' }, { type: 'sentence_transformers.models.Pooling' }, { type: 'sentence_transformers.models.Normalize' }]));
    const embedder = await loadEmbedder(dir);
    expect([embedder.spec.pooling, embedder.spec.normalize]).toEqual(['cls', true]);
    const rows = await embedder.embed(sentences);
    expect(worstDiff(rows, expected.get('embeddings_cls_normalized')!.data as Float32Array, 64)).toBeLessThan(5e-7);
    await embedder.dispose();
  });

  test('the fixture folder as it is (three exports, tokenizer in hf/): one line names the file and the tokenizer', async () => {
    const dir = newDir();
    for (const f of ['model.legacy.onnx', 'model.dynamo.onnx', 'model.legacy.int8.onnx']) copyFileSync(fixture(f), join(dir, f));
    mkdirSync(join(dir, 'hf'));
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture('hf', f), join(dir, 'hf', f));
    writeFileSync(join(dir, 'twinembed.json'), '{"model": "model.dynamo.onnx", "tokenizer": "hf", "pooling": "cls"}');
    const embedder = await loadEmbedder(dir);
    expect(worstDiff(await embedder.embed(sentences), expected.get('embeddings_cls_normalized')!.data as Float32Array, 64)).toBeLessThan(5e-7);
    await embedder.dispose();
    writeFileSync(join(dir, 'twinembed.json'), '{"model": "../elsewhere.onnx"}');
    await expect(loadEmbedder(dir)).rejects.toThrow(/^\[twinembed:manifest\] twinembed.json model: expected a path inside ".*", got "..\/elsewhere.onnx"$/);
  });

  test('a one-line manifest sets pooling; concurrent calls equal sequential ones', async () => {
    const embedder = await loadEmbedder(fixtureModelDir('model.legacy.onnx', { pooling: 'max' }), { batchSize: 3 });
    const sequential = [await embedder.embed(sentences.slice(0, 10)), await embedder.embed(sentences.slice(10))];
    const concurrent = await Promise.all([embedder.embed(sentences.slice(0, 10)), embedder.embed(sentences.slice(10))]);
    expect(concurrent).toEqual(sequential);
    expect(worstDiff(sequential.flat(), expected.get('embeddings_max_normalized')!.data as Float32Array, 64)).toBeLessThan(5e-7);
    await embedder.dispose();
  });

  test('the int8 export: raw hidden states within Python\'s own int8 error, embeddings close', async () => {
    const inputs = readSafetensors(readFileSync(fixture('inputs.safetensors')));
    const session = await nodeRuntime().createSession(fixture('model.legacy.int8.onnx'));
    const feeds = Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((n) => [n, inputs.get(n)!]));
    const hidden = (await session.run(feeds)).last_hidden_state!.data as Float32Array;
    const reference = readSafetensors(readFileSync(fixture('last_hidden_state.safetensors'))).values().next().value!.data as Float32Array;
    const worstHidden = hidden.reduce((w, v, i) => Math.max(w, Math.abs(v - reference[i]!)), 0);
    expect(worstHidden).toBeLessThan(0.05); // the bound: what Python onnxruntime's int8 run gets
    await session.release();
    const embedder = await loadEmbedder(fixtureModelDir('model.legacy.int8.onnx'), { pooling: 'mean' });
    const worst = worstDiff(await embedder.embed(sentences), expected.get('embeddings_mean_normalized')!.data as Float32Array, 64);
    // Measured 2.6e-3 (hidden states 3.3e-2): averaging over tokens shrinks the quantization error.
    expect(worst).toBeLessThan(1e-2);
    await embedder.dispose();
  });
});
