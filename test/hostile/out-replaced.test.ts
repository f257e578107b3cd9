// What an --out may replace (issue 14, must-fix 3): a previous twinembed output, silently; a folder of
// the user's own, only with --overwrite; a plain file that is no input. Nothing outside --out changes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadEmbedder } from '../../packages/node/src/embed/load-embedder.js';
import { loadIndex } from '../../packages/node/src/index-file.js';
import { OUTPUT_MARKER } from '../../packages/node/src/output-path.js';
import { hasShared } from '../support/paths.js';
import { finetuneArgs, makeWorkspace, trainArgs } from '../support/output-workspace.js';
import { cli } from '../support/run-cli.js';
import { tempDirs } from '../support/temp-dirs.js';
import { treeHash } from '../support/tree-hash.js';

const newDir = tempDirs('out-replaced');

/** Runs the CLI and expects success, nothing outside `out` (a direct child of `root`) changed, and no temporary left beside it. */
async function runInto(root: string, out: string, argv: string[]): Promise<void> {
  const name = out.slice(root.length + 1);
  const before = treeHash(root, [name]);
  const run = await cli(...argv);
  expect([run.code, run.err]).toEqual([0, '']);
  expect(treeHash(root, [name])).toBe(before);
  expect(readdirSync(root).filter((e) => e.startsWith(`.${name}.`))).toEqual([]);
}

async function embedsOne(dir: string): Promise<number> {
  const embedder = await loadEmbedder(dir);
  try {
    return (await embedder.embed(['a cat sits']))[0]!.length;
  } finally {
    await embedder.dispose();
  }
}

describe.skipIf(!hasShared)('--out replacement', () => {
  test('finetune: a previous output is replaced without --overwrite; a folder of the user\'s own only with it', async () => {
    const w = makeWorkspace(newDir());
    const out = join(w.root, 'tuned');
    await runInto(w.root, out, [...finetuneArgs(w), '--out', out]);
    await runInto(w.root, out, [...finetuneArgs(w), '--lr', '0.5', '--out', out]);
    expect(JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')).optimizer.lr).toBe(0.5);
    expect(await embedsOne(out)).toBe(64);
    await runInto(w.root, w.mine, [...finetuneArgs(w), '--out', w.mine, '--overwrite']);
    expect(existsSync(join(w.mine, 'notes.txt'))).toBe(false);
    expect(await embedsOne(w.mine)).toBe(64);
  });

  test('finetune: a previous output the user added a file to is theirs again: refused without --overwrite', async () => {
    const w = makeWorkspace(newDir());
    const out = join(w.root, 'tuned');
    await runInto(w.root, out, [...finetuneArgs(w), '--out', out]);
    writeFileSync(join(out, 'results.md'), 'my evaluation notes');
    const before = treeHash(w.root);
    const refused = await cli(...finetuneArgs(w), '--out', out);
    expect([refused.code, refused.out]).toEqual([2, '']);
    expect(refused.err).toMatch(/got a folder with 1 entry twinembed did not write \(results.md\); pass --overwrite to replace it\n$/);
    expect(treeHash(w.root)).toBe(before);
  });

  test('finetune: --out may sit inside --checkpoint-dir (only the reverse is refused)', async () => {
    const w = makeWorkspace(newDir());
    const runs = join(w.root, 'runs');
    mkdirSync(runs);
    await runInto(w.root, runs, [...finetuneArgs(w), '--checkpoint-every', '1', '--checkpoint-dir', runs, '--out', join(runs, 'tuned')]);
    expect(readdirSync(runs).sort()).toEqual(['checkpoint.safetensors', 'tuned']);
  });

  test('train: a previous output is replaced; the marker lists what it wrote', async () => {
    const w = makeWorkspace(newDir());
    const out = join(w.root, 'trained');
    await runInto(w.root, out, [...trainArgs(w), '--out', out]);
    await runInto(w.root, out, [...trainArgs(w), '--seed', '5', '--out', out]);
    const marker = JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8'));
    expect(marker).toEqual({ twinembed: 1, command: 'train', files: readdirSync(out).filter((f) => f !== OUTPUT_MARKER).sort() });
    expect(JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')).seed).toBe(5);
  });

  test('index build: a previous index folder is replaced; a folder of the user\'s own only with --overwrite', async () => {
    const w = makeWorkspace(newDir());
    const out = join(w.root, 'idx');
    await runInto(w.root, out, ['index', 'build', '--vectors', w.vectors, '--backend', 'flat', '--out', out]);
    await runInto(w.root, out, ['index', 'build', '--model', w.model, '--input', w.texts, '--backend', 'flat', '--out', out]);
    expect((await loadIndex(join(out, 'index.twinembed'))).index.size).toBe(4);
    await runInto(w.root, w.mine, ['index', 'build', '--vectors', w.vectors, '--backend', 'flat', '--out', w.mine, '--overwrite']);
    expect(readdirSync(w.mine).sort()).toEqual([OUTPUT_MARKER, 'index.twinembed']);
  });

  test('embed and export replace a plain file that is no input, without a flag', async () => {
    const w = makeWorkspace(newDir());
    const vectors = join(w.root, 'v.npy');
    writeFileSync(vectors, 'an older file');
    await runInto(w.root, vectors, ['embed', '--model', w.model, '--text', 'hi', 'there', '--out', vectors]);
    expect(readFileSync(vectors).subarray(1, 6).toString()).toBe('NUMPY');
    const fused = join(w.root, 'fused.onnx');
    writeFileSync(fused, 'an older file');
    await runInto(w.root, fused, ['export', '--model', w.model, '--out', fused]);
    expect(readFileSync(fused).length).toBeGreaterThan(100_000);
  });
});
