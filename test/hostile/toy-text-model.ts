// Small text encoders shaped like real exports, for the hostile-input tests: a WordLevel tokenizer
// of any vocabulary size, and an embedding layer whose position ids come the way BERT (a sliced
// position_ids buffer), RoBERTa (cumsum of ids ≠ padding_idx, + padding_idx) or a Range give them.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, GraphBuilder, type Value } from '@twinembed/node';
import { REPO_ROOT } from '../support/paths.js';

/** [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, then the words w4, w5, … up to `vocabSize` entries. */
export function wordTokenizer(vocabSize: number): object {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
  const vocab: Record<string, number> = {};
  specials.forEach((t, i) => (vocab[t] = i));
  for (let i = specials.length; i < vocabSize; i++) vocab[`w${i}`] = i;
  return {
    version: '1.0', truncation: null, padding: null, normalizer: null, decoder: null,
    added_tokens: specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
  };
}

/** `count` words of the vocabulary, one token each. */
export const words = (count: number, vocabSize = 64): string => Array.from({ length: count }, (_, i) => `w${4 + (i % (vocabSize - 4))}`).join(' ');

export type PositionStyle = 'bert' | 'roberta' | 'range' | 'none';

const WIDTH = 4;
const table = (rows: number, seed: number) => Float32Array.from({ length: rows * WIDTH }, (_, i) => Math.sin(i * 0.37 + seed));

function positionIds(b: GraphBuilder, ids: Value, style: PositionStyle, rows: number): Value {
  const length = b.op.Slice(b.op.Shape(ids), { starts: [1], ends: [2], axes: [0] });
  if (style === 'bert') {
    const buffer = b.initializer('embeddings.position_ids', BigInt64Array.from({ length: rows }, (_, i) => BigInt(i)), [1, rows]);
    return b.node('Slice', [buffer, b.int64s([0]), length, b.int64s([1])])[0]!;
  }
  if (style === 'range') return b.op.Unsqueeze(b.op.Range(b.scalar(0, 'int64'), b.op.Squeeze(length, { axes: [0] }), b.scalar(1, 'int64')), { axes: [0] });
  // RoBERTa's create_position_ids_from_input_ids with padding_idx 1 (its pad id).
  const mask = b.op.Cast(b.op.Not(b.op.Equal(ids, b.scalar(1, 'int64'))), { to: 'int64' });
  return b.op.Add(b.op.Mul(b.op.CumSum(mask, b.scalar(1, 'int64')), mask), b.scalar(1, 'int64'));
}

/** last_hidden_state = word_embeddings[ids] + position_embeddings[position ids] (no position term for 'none'). */
export function toyEncoder(vocabSize: number, style: PositionStyle, positionRows = 16): Uint8Array {
  const b = new GraphBuilder();
  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  b.input('attention_mask', 'int64', ['batch', 'sequence']);
  const words = b.op.Gather(b.initializer('embeddings.word_embeddings.weight', table(vocabSize, 0), [vocabSize, WIDTH]), ids);
  if (style === 'none') {
    b.output(words, 'last_hidden_state');
  } else {
    const positions = b.initializer('embeddings.position_embeddings.weight', table(positionRows, 1), [positionRows, WIDTH]);
    b.output(b.op.Add(words, b.op.Gather(positions, positionIds(b, ids, style, positionRows))), 'last_hidden_state');
  }
  return encodeModel(b.toModel());
}

/** A model directory: model.onnx, tokenizer.json, and the given extra JSON files. */
export function writeModelDir(dir: string, onnx: Uint8Array, tokenizer: object, extra: Record<string, object> = {}): string {
  writeFileSync(join(dir, 'model.onnx'), onnx);
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  for (const [name, json] of Object.entries(extra)) writeFileSync(join(dir, name), JSON.stringify(json));
  return dir;
}

export interface ProcessRun { code: number | null; stdout: string; stderr: string }

/** The CLI in a child process, so that what native code (onnxruntime) prints to stderr is seen too. */
export function runCliProcess(args: readonly string[], timeoutMs = 60_000): ProcessRun {
  const run = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['--conditions=@twinembed/source', join(REPO_ROOT, 'packages/node/src/cli/bin.ts'), ...args], {
    encoding: 'utf8', timeout: timeoutMs, cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
