// Texts longer than the model's position table: truncated to what the graph takes (its position
// table's rows, found in the graph), as sentence-transformers truncates to max_seq_length, or
// refused with one clear line when asked (truncate: false / --no-truncate, a larger --max-length).
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createTensor, decodeModel, loadEmbedder, nodeRuntime, TwinembedError } from '@twinembed/node';
import { positionLimit, wordTableOf } from '../../packages/core/src/embed/position-limit.js';
import { importModel } from '../../packages/core/src/graph/import-model.js';
import { hasShared, sharedPath } from '../support/paths.js';
import { tempDirs } from '../support/temp-dirs.js';
import { toyEncoder, wordTokenizer, words, writeModelDir, type PositionStyle } from './toy-text-model.js';

const newDir = tempDirs('long-texts');
const ROWS = 16;
const VOCAB = 64;

/** Rows − padding_idx − 1 for RoBERTa (its positions start at padding_idx + 1); the rows for the others. */
const LIMITS: [PositionStyle, number][] = [['bert', ROWS], ['range', ROWS], ['roberta', ROWS - 2]];

const toyDir = (style: PositionStyle, extra: Record<string, object> = {}) => writeModelDir(newDir(), toyEncoder(VOCAB, style, ROWS), wordTokenizer(VOCAB), extra);

async function embedOne(dir: string, text: string, options: Parameters<typeof loadEmbedder>[1] = {}): Promise<Float32Array> {
  const embedder = await loadEmbedder(dir, options);
  try {
    return (await embedder.embed([text]))[0]!;
  } finally {
    await embedder.dispose();
  }
}

/** Runs the bare encoder on `length` ids: whether onnxruntime takes a sequence that long. */
async function encoderTakes(style: PositionStyle, length: number): Promise<boolean> {
  const session = await nodeRuntime().createSession(toyEncoder(VOCAB, style, ROWS));
  const ids = BigInt64Array.from({ length }, (_, i) => BigInt(4 + (i % 60)));
  try {
    await session.run({ input_ids: createTensor('int64', ids, [1, length]), attention_mask: createTensor('int64', new BigInt64Array(length).fill(1n), [1, length]) });
    return true;
  } catch {
    return false;
  } finally {
    await session.release();
  }
}

describe.each(LIMITS)('a %s-style position table of 16 rows, no tokenizer_config.json', (style, limit) => {
  test(`the limit found is exactly what the graph takes: ${limit} tokens run in onnxruntime, ${limit + 1} fail`, async () => {
    const embedder = await loadEmbedder(toyDir(style));
    expect(embedder.fused.positions).toEqual({ tokens: limit, table: 'embeddings.position_embeddings.weight', rows: ROWS });
    expect(embedder.spec.modality === 'text' && embedder.spec.maxLength).toBe(limit);
    await embedder.dispose();
    expect([await encoderTakes(style, limit), await encoderTakes(style, limit + 1)]).toEqual([true, false]);
  });

  test('a longer text is truncated as sentence-transformers truncates: [CLS], the first words, [SEP]', async () => {
    const dir = toyDir(style);
    // The tokenizer adds [CLS] and [SEP]: limit − 2 words fit.
    expect(await embedOne(dir, words(40))).toEqual(await embedOne(dir, words(limit - 2)));
  });

  test('a prompt longer than the limit is truncated with the text', async () => {
    const embedder = await loadEmbedder(toyDir(style));
    const [prompted] = await embedder.embed(['w9'], { prompt: `${words(30)} ` });
    const [cut] = await embedder.embed([words(limit - 2)]);
    expect(prompted).toEqual(cut);
    await embedder.dispose();
  });

  test('truncate: false refuses an over-long text, naming it; a text of exactly the limit embeds', async () => {
    const embedder = await loadEmbedder(toyDir(style), { truncate: false });
    await expect(embedder.embed([words(limit - 2)])).resolves.toHaveLength(1);
    const refused = embedder.embed(['w4', words(limit - 1)]);
    await expect(refused).rejects.toThrow(TwinembedError);
    await expect(refused).rejects.toThrow(`[twinembed:embed] input 1 ("${words(limit - 1).slice(0, 40)}…"): expected at most ${limit} tokens (truncation is off: truncate: false, --no-truncate), got ${limit + 1}`);
    await embedder.dispose();
  });

  test('maxLength over the limit is refused; at or under it, it is used', async () => {
    await expect(loadEmbedder(toyDir(style), { maxLength: limit + 1 })).rejects.toThrow(
      `[twinembed:embed] maxLength: expected at most ${limit} tokens, the longest sequence the model takes (its position-embedding table "embeddings.position_embeddings.weight" has ${ROWS} rows), got ${limit + 1}`,
    );
    const dir = toyDir(style);
    expect(await embedOne(dir, words(40), { maxLength: limit })).toEqual(await embedOne(dir, words(limit - 2)));
    expect(await embedOne(dir, words(40), { maxLength: 5 })).toEqual(await embedOne(dir, words(3)));
  });

  test('pre-tokenized ids longer than the limit are refused (they are never cut)', async () => {
    const embedder = await loadEmbedder(toyDir(style));
    await expect(embedder.embed([{ ids: new Array<number>(limit + 1).fill(5) }])).rejects.toThrow(
      `[twinembed:embed] input 0: expected at most ${limit} token ids, the longest sequence the model takes, got ${limit + 1} (ids are embedded as given, never truncated)`,
    );
    await embedder.dispose();
  });
});

describe('the configs\' lengths, capped by the position table', () => {
  const lengthOf = async (extra: Record<string, object>) => {
    const embedder = await loadEmbedder(toyDir('bert', extra));
    const { spec } = embedder;
    await embedder.dispose();
    return spec.modality === 'text' ? spec.maxLength : undefined;
  };

  test('model_max_length: the 1e30 sentinel means the table; a smaller one is used; a larger one is capped', async () => {
    expect(await lengthOf({ 'tokenizer_config.json': { model_max_length: 1e30 } })).toBe(ROWS);
    expect(await lengthOf({ 'tokenizer_config.json': { model_max_length: 8 } })).toBe(8);
    expect(await lengthOf({ 'tokenizer_config.json': { model_max_length: 512 } })).toBe(ROWS);
  });

  test('sentence_bert_config.json max_seq_length wins over the tokenizer, and is capped by the table too', async () => {
    expect(await lengthOf({ 'tokenizer_config.json': { model_max_length: 8 }, 'sentence_bert_config.json': { max_seq_length: 10 } })).toBe(10);
    expect(await lengthOf({ 'sentence_bert_config.json': { max_seq_length: 512 } })).toBe(ROWS);
  });

  test('nonsense lengths in the configs are refused, naming the field', async () => {
    await expect(lengthOf({ 'tokenizer_config.json': { model_max_length: 'abc' } })).rejects.toThrow(
      '[twinembed:tokenize] tokenizer_config.json model_max_length: expected a positive integer (or Hugging Face\'s 1e30 for no limit), got "abc"',
    );
    await expect(lengthOf({ 'sentence_bert_config.json': { max_seq_length: -3 } })).rejects.toThrow('[twinembed:embed] sentence_bert_config.json max_seq_length: expected a positive integer, got -3');
    await expect(lengthOf({ 'twinembed.json': { maxLength: 17 } })).rejects.toThrow('[twinembed:embed] twinembed.json maxLength: expected at most 16 tokens');
  });

  test('a model without a position table keeps the configs\' length, and no length without one', async () => {
    const dir = writeModelDir(newDir(), toyEncoder(VOCAB, 'none'), wordTokenizer(VOCAB), { 'tokenizer_config.json': { model_max_length: 8 } });
    const embedder = await loadEmbedder(dir);
    expect([embedder.fused.positions, embedder.spec.modality === 'text' && embedder.spec.maxLength]).toEqual([undefined, 8]);
    await embedder.dispose();
  });
});

describe('the default text model (models/text, USE lite)', () => {
  test('keeps its manifest maxLength 128: its graph has no position table to cap it', async () => {
    const embedder = await loadEmbedder('text');
    expect([embedder.fused.positions, embedder.spec.modality === 'text' && embedder.spec.maxLength]).toEqual([undefined, 128]);
    const [long] = await embedder.embed([`${'a very long sentence about the weather, '.repeat(80)}`]);
    expect(long!.every(Number.isFinite)).toBe(true);
    await embedder.dispose();
  });
});

/** Whether onnxruntime runs `bytes` on `length` tokens (every integer input of [1, length] filled with 1). */
async function takes(bytes: Uint8Array, length: number): Promise<boolean> {
  const session = await nodeRuntime().createSession(bytes);
  const feeds = Object.fromEntries(session.inputs.map((v) => [v.name, createTensor('int64', new BigInt64Array(length).fill(1n), [1, length])]));
  try {
    await session.run(feeds);
    return true;
  } catch {
    return false;
  } finally {
    await session.release();
  }
}

describe.skipIf(!hasShared)('third-party exports: the limit found is exactly what onnxruntime takes', () => {
  test.each([['GPT2Model.onnx', 'wpe.weight_resize', 8], ['bert_toy_optimized.onnx', 'bert.embeddings.position_embeddings.weight', 512]])('%s: %s, %i tokens', async (file, table, tokens) => {
    const bytes = new Uint8Array(readFileSync(sharedPath('models', 'third-party', file)));
    const b = importModel(decodeModel(bytes));
    expect(positionLimit(b, wordTableOf(b, 'input_ids'))).toMatchObject({ tokens, table });
    expect([await takes(bytes, tokens), await takes(bytes, tokens + 1)]).toEqual([true, false]);
  });
});
