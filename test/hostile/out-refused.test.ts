// Careless --out paths that used to destroy inputs (issue 14, must-fix 3): each is refused with one
// line and exit 2 before any work, even with --overwrite, and the workspace is byte-identical after.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasShared } from '../support/paths.js';
import { finetuneArgs, makeWorkspace, trainArgs, type Workspace } from '../support/output-workspace.js';
import { cli } from '../support/run-cli.js';
import { tempDirs } from '../support/temp-dirs.js';
import { treeHash } from '../support/tree-hash.js';

const newDir = tempDirs('out-refused');

type Case = [string, (w: Workspace) => string[], RegExp];

const HOLDS = /expected a folder that holds no input, got one that holds the/;
const cases: Case[] = [
  ['finetune --out holding the model and the data', (w) => [...finetuneArgs(w), '--out', w.root], new RegExp(`${HOLDS.source} --model input ".*model.onnx"`)],
  ['finetune --out holding the training data', (w) => [...finetuneArgs(w), '--out', join(w.root, 'data')], new RegExp(`${HOLDS.source} --data input ".*train.jsonl"`)],
  ['finetune --out equal to --model', (w) => [...finetuneArgs(w), '--out', w.model], /holds the --model input ".*model.onnx"/],
  ['finetune --out that is the model\'s tokenizer folder', (w) => [...finetuneArgs(w), '--out', join(w.model, 'hf')], /holds the --model input ".*tokenizer.json"/],
  ['finetune --out a symlink to the model folder', (w) => (symlinkSync(w.model, join(w.root, 'alias')), [...finetuneArgs(w), '--out', join(w.root, 'alias')]), /into ".*alias": .*holds the --model input/],
  ['finetune --checkpoint-dir inside --out', (w) => [...finetuneArgs(w), '--checkpoint-every', '1', '--checkpoint-dir', join(w.root, 'out', 'ck'), '--out', join(w.root, 'out')], /expected a folder apart from the run's other outputs, got one that holds the --checkpoint-dir output ".*ck.checkpoint.safetensors"\n$/],
  ['finetune --checkpoint-dir equal to --out', (w) => [...finetuneArgs(w), '--checkpoint-every', '1', '--checkpoint-dir', join(w.root, 'out'), '--out', join(w.root, 'out')], /holds the --checkpoint-dir output ".*out.checkpoint.safetensors"/],
  ['finetune --resume inside --out', (w) => [...finetuneArgs(w), '--resume', join(w.root, 'data', 'train.jsonl'), '--out', join(w.root, 'data')], HOLDS],
  ['train --out equal to the image folder', (w) => [...trainArgs(w), '--out', w.images], /got the --data input ".*images" itself/],
  ['train --out a class folder of the images', (w) => [...trainArgs(w), '--out', join(w.images, 'c0')], /expected a path outside the input folders, got one inside the --data input ".*images"/],
  ['train --out a new folder inside the images', (w) => [...trainArgs(w), '--out', join(w.images, 'model')], /got one inside the --data input/],
  ['train --out holding the images', (w) => [...trainArgs(w), '--out', w.root], /holds the --data input ".*images"/],
  ['embed --out the input model.onnx', (w) => ['embed', '--model', w.model, '--text', 'hi', '--format', 'npy', '--out', join(w.model, 'model.onnx')], /^\[twinembed:io\] cannot write the embeddings to ".*model.onnx": expected a path apart from the inputs, got the --model input ".*model.onnx" itself\n$/],
  ['embed --out the tokenizer', (w) => ['embed', '--model', w.model, '--text', 'hi', '--out', join(w.model, 'hf', 'tokenizer.json')], /got the --model input ".*tokenizer.json" itself/],
  ['embed --out the --input file', (w) => ['embed', '--model', w.model, '--input', w.texts, '--out', w.texts], /got the --input input ".*docs.jsonl" itself/],
  ['embed --out inside an --images folder', (w) => ['embed', '--model', w.model, '--images', w.images, '--out', join(w.images, 'v.npy')], /got one inside the --images input/],
  ['export --out the input model.onnx', (w) => ['export', '--model', w.model, '--out', join(w.model, 'model.onnx')], /^\[twinembed:io\] cannot write the model to ".*model.onnx": expected a path apart from the inputs, got the --model input ".*model.onnx" itself\n$/],
  ['export --out the input .onnx file', (w) => ['export', '--model', join(w.model, 'model.onnx'), '--out', join(w.model, 'model.onnx')], /got the --model input ".*model.onnx" itself/],
  ['index build --out holding --vectors', (w) => ['index', 'build', '--vectors', w.vectors, '--out', w.root], /^\[twinembed:io\] cannot write the index into ".*": expected a folder that holds no input, got one that holds the --vectors input ".*vectors.npy"\n$/],
  ['index build --out equal to --model', (w) => ['index', 'build', '--model', w.model, '--input', w.texts, '--out', w.model], /holds the --model input/],
  ['index build --out equal to the --vectors file', (w) => ['index', 'build', '--vectors', w.vectors, '--out', w.vectors], /cannot write the index into ".*vectors.npy": expected a folder \(or a new path\), got a file\n$/],
];

const FOREIGN = /expected a new or empty folder, or one twinembed wrote, got a folder with 2 entries twinembed did not write \(notes.txt, photos\); pass --overwrite to replace it\n$/;
const foreign: Case[] = [
  ['finetune', (w) => [...finetuneArgs(w), '--out', w.mine], FOREIGN],
  ['train', (w) => [...trainArgs(w), '--out', w.mine], FOREIGN],
  ['index build', (w) => ['index', 'build', '--vectors', w.vectors, '--out', w.mine], FOREIGN],
];

async function expectRefused(argv: string[], root: string, message: RegExp): Promise<void> {
  const before = treeHash(root);
  const { code, out, err } = await cli(...argv);
  expect([code, out]).toEqual([2, '']);
  expect(err).toMatch(message);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(treeHash(root)).toBe(before);
}

describe.skipIf(!hasShared)('an --out that is, holds or is inside an input: refused, nothing touched', () => {
  test.each(cases)('%s', async (_, argvOf, message) => {
    const w = makeWorkspace(newDir());
    const argv = argvOf(w);
    await expectRefused(argv, w.root, message);
    if (argv[0] !== 'embed' && argv[0] !== 'export') await expectRefused([...argv, '--overwrite'], w.root, message);
  });
});

describe.skipIf(!hasShared)('a non-empty folder twinembed did not write: refused without --overwrite', () => {
  test.each(foreign)('%s', async (_, argvOf, message) => {
    const w = makeWorkspace(newDir());
    await expectRefused(argvOf(w), w.root, message);
  });
});
