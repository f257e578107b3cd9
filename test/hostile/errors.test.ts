// The unclear errors of issue 14, each now one line that says what failed and what is true:
// train --size 100000 (was "Invalid typed array length"), an index whose ids are null (was
// "Cannot read properties of null"), a NaN loss without checkpoints (claimed a checkpoint was
// kept), and a model that fails inside onnxruntime (its coloured log line came first, then exit 1).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTensor, decodeBundle, encodeBundle, encodeModel, GraphBuilder, nodeRuntime, TwinembedError } from '@twinembed/node';
import { webRuntime } from '@twinembed/web';
import { loadCheckpoint } from '../../packages/node/src/train/checkpoint-file.js';
import { hasShared, sharedPath } from '../support/paths.js';
import { cli } from '../support/run-cli.js';
import { tempDirs } from '../support/temp-dirs.js';
import { runCliProcess, wordTokenizer } from './toy-text-model.js';

const newDir = tempDirs('errors');
const oneLine = (text: string) => text.trimEnd().split('\n').length === 1;

describe('train --size', () => {
  test.each([['100000', 'conv4', 16], ['8', 'conv4', 16], ['19', 'koch', 20]])('--size %s with %s: one line before any work', async (size, encoder, min) => {
    const run = await cli('train', '--data', join(newDir(), 'absent'), '--out', join(newDir(), 'm'), '--size', size, '--encoder', encoder, '--val-classes', '2', '--steps', '1');
    expect(run.code).toBe(2);
    expect(run.err).toBe(`[twinembed:cli] train --size: expected ${min} to 1024 pixels (the side images are resized to; the ${encoder} encoder needs at least ${min}), got ${size}\n`);
  });
});

describe('an index file whose ids are null', () => {
  test('twinembed search: exit 2, one line naming the sidecar', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'rows.jsonl'), '{"id":"a","vector":[1,0,0]}\n{"id":"b","vector":[0,1,0]}\n');
    const built = await cli('index', 'build', '--input', join(dir, 'rows.jsonl'), '--out', join(dir, 'idx'));
    expect(built.code).toBe(0);
    const file = join(dir, 'idx', 'index.twinembed');
    const { sidecar, payload } = decodeBundle(new Uint8Array(readFileSync(file)));
    writeFileSync(file, encodeBundle({ ...sidecar, ids: null as never }, payload)); // a valid CRC over the bad sidecar
    const run = await cli('search', '--index', join(dir, 'idx'), '--query-vectors', join(dir, 'rows.jsonl'), '-k', '1');
    expect(run.code).toBe(2);
    expect(oneLine(run.err)).toBe(true);
    expect(run.err).toMatch(/^\[twinembed:io\] cannot load index ".*index\.twinembed": .*expected sidecar ids with labels, ids and metadata lists, got null\n$/);
  });
});

describe.skipIf(!hasShared)('finetune with a loss that turns NaN (bert-tiny-a, lr 1e30)', () => {
  const setup = () => {
    const dir = newDir();
    mkdirSync(join(dir, 'model'));
    copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'model.dynamo.onnx'), join(dir, 'model', 'model.onnx'));
    copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'hf', 'tokenizer.json'), join(dir, 'model', 'tokenizer.json'));
    writeFileSync(join(dir, 'pairs.jsonl'), '{"sentence1":"a cat","sentence2":"a dog","score":0.5}\n{"sentence1":"stocks fell","sentence2":"prices dropped","score":0.9}\n');
    const args = ['finetune', '--model', join(dir, 'model'), '--data', join(dir, 'pairs.jsonl'), '--loss', 'CosineSimilarityLoss', '--optimizer', 'sgd', '--lr', '1e30', '--steps', '4', '--batch-size', '1', '--out', join(dir, 'out')];
    return { dir, args };
  };

  test('without checkpoints it says nothing was written, and nothing was', async () => {
    const { dir, args } = setup();
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^\[twinembed:train\] step \d+: expected a finite loss, got (NaN|-?Infinity); training stopped: --out ".*out" was not written, this run wrote no checkpoint \(no --checkpoint-every\)\n$/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  test('with --checkpoint-every 1 it names the last checkpoint on disk, which loads at that step', async () => {
    const { dir, args } = setup();
    const run = await cli(...args, '--checkpoint-every', '1');
    expect(run.code).toBe(2);
    const said = /^\[twinembed:train\] step (\d+): expected a finite loss, got \S+; training stopped: --out ".*out" was not written, the last checkpoint on disk is step (\d+) \("(.*)"\)\n$/.exec(run.err);
    expect(said).not.toBeNull();
    const [, failed, saved, path] = said!;
    expect(Number(saved)).toBe(Number(failed) - 1);
    expect((await loadCheckpoint(path!)).checkpoint.step).toBe(Number(saved));
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

/** ids [batch, sequence] → Gather → + a [1, 5, 4] constant: any sequence but 5 tokens fails inside onnxruntime. */
function failingModel(): Uint8Array {
  const b = new GraphBuilder();
  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  const table = b.initializer('embeddings.word_embeddings.weight', new Float32Array(64 * 4).fill(0.5), [64, 4]);
  b.output(b.op.Add(b.op.Gather(table, ids), b.initializer('bias', new Float32Array(20), [1, 5, 4])), 'last_hidden_state');
  return encodeModel(b.toModel());
}

describe('a model that fails inside onnxruntime', () => {
  test('the CLI prints one twinembed line with onnxruntime\'s text, and no onnxruntime log line', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'model.onnx'), failingModel());
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(wordTokenizer(64)));
    const run = runCliProcess(['embed', '--model', dir, '--text', 'w4 w5']);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/^\[twinembed:runtime\] onnxruntime could not run the model \(cpu\): Non-zero status code returned while running Add node\..*Attempting to broadcast an axis by a dimension other than 1\..*\n$/);
    expect(run.stderr).not.toMatch(/\x1b\[|\[E:onnxruntime/);
  });

  test.each([['onnxruntime-node', () => nodeRuntime()], ['onnxruntime-web', () => webRuntime()]])('%s: a TwinembedError', async (_, runtime) => {
    const session = await runtime().createSession(failingModel());
    const ids = createTensor('int64', new BigInt64Array(3).fill(1n), [1, 3]);
    const ran = session.run({ input_ids: ids });
    await expect(ran).rejects.toThrow(TwinembedError);
    await expect(ran).rejects.toThrow(/^\[twinembed:runtime\] onnxruntime could not run the model \((cpu|wasm)\): .*broadcast/);
    await session.release();
  });
});
