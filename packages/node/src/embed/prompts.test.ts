// Prompts from config_sentence_transformers.json on the fixture BERT: a prompt is text put before
// each input before tokenization, and include_prompt: false leaves its tokens out of pooling,
// checked against sentence-transformers' Pooling formula applied in JS to the raw hidden states.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTensor, createTextTokenizer } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { nodeRuntime } from '../node-runtime.js';
import { loadEmbedder } from './load-embedder.js';

const newDir = tempDirs('embed-prompts');

const fixture = (...f: string[]) => sharedPath('fixtures', 'bert-tiny-a', ...f);
const PROMPTS = { prompts: { query: 'query: ', passage: 'passage: ' }, default_prompt_name: 'passage' };

/** The fixture BERT with sentence-transformers' prompt config and, when given, a Pooling config. */
function promptModelDir(pooling?: object): string {
  const dir = newDir();
  copyFileSync(fixture('model.dynamo.onnx'), join(dir, 'model.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture('hf', f), join(dir, f));
  writeFileSync(join(dir, 'config_sentence_transformers.json'), JSON.stringify(PROMPTS));
  if (pooling) {
    mkdirSync(join(dir, '1_Pooling'));
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: 64, ...pooling }));
    writeFileSync(join(dir, 'modules.json'), JSON.stringify(['Transformer', 'Pooling', 'Normalize'].map((m) => ({ type: `sentence_transformers.models.${m}` }))));
  }
  return dir;
}

const worst = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.flatMap((row, r) => Array.from(row, (v, j) => Math.abs(v - b[r]![j]!))));

describe.skipIf(!hasShared)('prompts', () => {
  const sentences: string[] = JSON.parse(readFileSync(fixture('sentences.json'), 'utf8')).sentences.slice(0, 12);

  test('promptName, prompt and default_prompt_name put the prompt before each text, as SentenceTransformer.encode does', async () => {
    const embedder = await loadEmbedder(promptModelDir(), { batchSize: 5 });
    const prefixed = (p: string) => embedder.embed(sentences.map((s) => p + s), { prompt: '' });
    const [query, passage, bare] = [await prefixed('query: '), await prefixed('passage: '), await embedder.embed(sentences, { prompt: '' })];
    // Same token rows in the same batches: bit-for-bit equal.
    expect(await embedder.embed(sentences, { promptName: 'query' })).toEqual(query);
    expect(await embedder.embed(sentences, { prompt: 'query: ' })).toEqual(query);
    expect(await embedder.embed(sentences)).toEqual(passage);
    expect(await embedder.embed(sentences, { promptName: 'document' })).toEqual(bare); // sentence-transformers' empty default
    // …and the prompt does move the embeddings (measured 0.08 and 0.06 max abs; an ignored prompt gives 0).
    expect(worst(query, bare)).toBeGreaterThan(1e-2);
    expect(worst(query, passage)).toBeGreaterThan(1e-2);
    expect(embedder.prompts).toEqual({ prompts: { query: 'query: ', document: '', passage: 'passage: ' }, defaultPromptName: 'passage' });
    await embedder.dispose();
  });

  test('errors: an unknown name lists the known ones; both options; token ids under a prompt', async () => {
    const embedder = await loadEmbedder(promptModelDir());
    await expect(embedder.embed(['x'], { promptName: 'search' })).rejects.toThrow('[twinembed:embed] promptName: expected one of the model\'s prompts (query, document, passage), got "search"');
    await expect(embedder.embed(['x'], { prompt: 'q: ', promptName: 'query' })).rejects.toThrow(/^\[twinembed:embed\] prompt and promptName: expected at most one of them, got both/);
    await expect(embedder.embed([{ ids: [101, 102] }])).rejects.toThrow('[twinembed:embed] input 0 is token ids, which are embedded as given, but the prompt "passage: " applies: pass prompt: \'\' (or put the prompt\'s ids in the input)');
    expect((await embedder.embed([{ ids: [101, 102] }], { prompt: '' }))[0]).toHaveLength(64);
    await embedder.dispose();
  });
});

describe.skipIf(!hasShared)('include_prompt: false', () => {
  const sentences: string[] = JSON.parse(readFileSync(fixture('sentences.json'), 'utf8')).sentences.slice(0, 12);
  const tokenizer = createTextTokenizer({ json: JSON.parse(readFileSync(fixture('hf', 'tokenizer.json'), 'utf8')) });

  /** sentence-transformers' Pooling on one unpadded row: mask[:k] = 0, then mean or max over the rest, then normalize. */
  async function oracle(texts: string[], k: number, mode: 'mean' | 'max'): Promise<Float32Array[]> {
    const session = await nodeRuntime().createSession(fixture('model.dynamo.onnx'));
    const rows: Float32Array[] = [];
    for (const text of texts) {
      const ids = tokenizer.encode(text).ids;
      const dims = [1, ids.length];
      const feeds = { input_ids: createTensor('int64', BigInt64Array.from(ids, BigInt), dims), attention_mask: createTensor('int64', new BigInt64Array(ids.length).fill(1n), dims), token_type_ids: createTensor('int64', new BigInt64Array(ids.length), dims) };
      const hidden = (await session.run(feeds)).last_hidden_state!.data as Float32Array;
      const kept = Array.from({ length: ids.length - k }, (_, t) => hidden.subarray((k + t) * 64, (k + t + 1) * 64));
      const pooled = Float32Array.from({ length: 64 }, (_, j) => (mode === 'mean' ? kept.reduce((s, h) => s + h[j]!, 0) / kept.length : Math.max(...kept.map((h) => h[j]!))));
      const norm = Math.hypot(...pooled);
      rows.push(pooled.map((v) => v / norm));
    }
    await session.release();
    return rows;
  }

  test.each(['mean', 'max'] as const)('%s pooling without the prompt\'s tokens equals sentence-transformers\' formula', async (mode) => {
    // prompt_length of "query: " is [CLS] and the prompt's word pieces ([SEP] closes it and is not counted).
    const promptIds = Array.from(tokenizer.encode('query: ').ids);
    const vocab = JSON.parse(readFileSync(fixture('hf', 'tokenizer.json'), 'utf8')).model.vocab;
    expect([promptIds.length, promptIds[0], promptIds[promptIds.length - 1]]).toEqual([6, vocab['[CLS]'], vocab['[SEP]']]);
    const embedder = await loadEmbedder(promptModelDir({ pooling_mode: mode, include_prompt: false }), { batchSize: 5 });
    expect(embedder.fused.promptLength).toBe('prompt_length');
    const got = await embedder.embed(sentences, { promptName: 'query' });
    const want = await oracle(sentences.map((s) => `query: ${s}`), 5, mode);
    // Batched and padded vs one row at a time: summation order only, as in the parity tests (measured ≤ 6e-8).
    expect(worst(got, want)).toBeLessThan(5e-7);
    // Including the prompt (k = 0) is a different embedding (measured 0.07 mean, 0.08 max), and no prompt leaves nothing out.
    expect(worst(got, await oracle(sentences.map((s) => `query: ${s}`), 0, mode))).toBeGreaterThan(1e-2);
    expect(worst(await embedder.embed(sentences, { prompt: '' }), await oracle(sentences, 0, mode))).toBeLessThan(5e-7);
    await embedder.dispose();
  });

  test('CLS pooling is token 0 either way, so the fused model takes no prompt length', async () => {
    const excluded = await loadEmbedder(promptModelDir({ pooling_mode: 'cls', include_prompt: false }));
    const included = await loadEmbedder(promptModelDir({ pooling_mode: 'cls' }));
    expect(excluded.fused.promptLength).toBeUndefined();
    expect(await excluded.embed(sentences, { promptName: 'query' })).toEqual(await included.embed(sentences, { promptName: 'query' }));
    await Promise.all([excluded.dispose(), included.dispose()]);
  });

  test('an output the model has already pooled cannot leave the prompt out: a clear error, only when a prompt applies', async () => {
    const embedder = await loadEmbedder(promptModelDir({ pooling_mode: 'mean', include_prompt: false }), { pooling: 'none', outputName: 'last_hidden_state' });
    await expect(embedder.embed(['a cat'], { promptName: 'query' })).rejects.toThrow('[twinembed:embed] the model\'s Pooling config says include_prompt: false, but "last_hidden_state" is already pooled (pooling "none"), so the prompt "query: " cannot be left out of it');
    expect(await embedder.embed(['a cat'], { prompt: '' })).toHaveLength(1);
    await embedder.dispose();
  });
});
