// Batches are padded with the tokenizer's own pad id. The toy model reads the sequence length off
// the ids (ids ≠ pad id 1), as RoBERTa's position ids and exported sequence-classification heads
// do, so a text batched with longer ones embeds as it does alone only when the pads carry id 1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { encodeModel, GraphBuilder } from '@twinembed/core';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { wordLevelTokenizer, type WordLevelOptions } from '../../../../test/support/word-level-tokenizer.js';
import { loadEmbedder } from './load-embedder.js';

const newDir = tempDirs('embed-pad');

/** hidden[b, s] = E[id] + 0.1 · #{t : ids[b, t] ≠ 1}: pads with any other id change every token. */
function toyEncoder(vocabSize: number): Uint8Array {
  const b = new GraphBuilder();
  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  b.input('attention_mask', 'int64', ['batch', 'sequence']);
  const table = b.initializer('embeddings.word_embeddings.weight', Float32Array.from({ length: vocabSize * 4 }, (_, i) => Math.sin(i * 1.7) + 0.5), [vocabSize, 4]);
  const notPad = b.op.Cast(b.op.Not(b.op.Equal(ids, b.scalar(1, 'int64'))), { to: 'float32' });
  const length = b.op.Unsqueeze(b.op.ReduceSum(notPad, { axes: [1], keepdims: 1 }), { axes: [2] });
  b.output(b.op.Add(b.op.Gather(table, ids), b.op.Mul(length, b.scalar(0.1))), 'last_hidden_state');
  return encodeModel(b.toModel());
}

function modelDir(tokenizer: WordLevelOptions, config?: object): string {
  const dir = newDir();
  const { json, vocabSize } = wordLevelTokenizer(tokenizer);
  writeFileSync(join(dir, 'model.onnx'), toyEncoder(vocabSize));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  if (config) writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return dir;
}

const short = 'a cat';
const long = 'the cat sat on a mat the dog ran';

/** Max abs difference between `short` embedded alone and in one batch with `long`. */
async function aloneVsBatched(dir: string): Promise<number> {
  const embedder = await loadEmbedder(dir, { batchSize: 2 });
  const [alone] = await embedder.embed([short]);
  const [, batched] = await embedder.embed([long, short]);
  await embedder.dispose();
  return Math.max(...Array.from(alone!, (v, j) => Math.abs(v - batched![j]!)));
}

describe('padding uses the tokenizer\'s pad id', () => {
  test.each([
    ['a <pad> token (no padding section, no config)', modelDir({})],
    ['tokenizer.json padding.pad_id', modelDir({ padToken: '<blank>', padding: true })],
    ['tokenizer_config.json pad_token', modelDir({ padToken: '<blank>' }, { pad_token: '<blank>' })],
  ])('%s: a text embeds the same alone and batched with a longer one', async (_, dir) => {
    // Same token rows, the short one (4 tokens) padded with 7 pads of id 1, which the model and the
    // mask both ignore: only the summation of masked-out zeros differs (measured 0).
    expect(await aloneVsBatched(dir)).toBeLessThan(1e-7);
  });

  test('the check can fail: a tokenizer with no pad token pads with 0, which this model reads as a token', async () => {
    // 11 tokens counted instead of 4 → 0.7 more on every unit of the mean (measured 0.037 after normalizing).
    expect(await aloneVsBatched(modelDir({ padToken: '<blank>' }))).toBeGreaterThan(1e-2);
  });
});
