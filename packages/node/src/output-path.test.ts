import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs.js';
import { modelInputs } from './model-inputs.js';
import { checkOutput, OUTPUT_MARKER, writeOutputFile, type CheckOutputOptions } from './output-path.js';

const newDir = tempDirs('output-path');

/** A folder with data.jsonl, images/a.png and a model folder m (model.onnx, twinembed.json, hf/tokenizer.json). */
function tree(): string {
  const dir = newDir();
  writeFileSync(join(dir, 'data.jsonl'), '{}\n');
  mkdirSync(join(dir, 'images'));
  writeFileSync(join(dir, 'images', 'a.png'), 'png');
  mkdirSync(join(dir, 'm', 'hf'), { recursive: true });
  writeFileSync(join(dir, 'm', 'model.onnx'), 'onnx');
  writeFileSync(join(dir, 'm', 'twinembed.json'), JSON.stringify({ tokenizer: 'hf' }));
  writeFileSync(join(dir, 'm', 'hf', 'tokenizer.json'), '{}');
  return dir;
}

const check = (o: Partial<CheckOutputOptions> & { out: string }) => checkOutput({ kind: 'dir', what: 'the model', ...o });

describe('checkOutput', () => {
  test('a new path resolves through symlinked and `..` parents', async () => {
    const dir = tree();
    symlinkSync(join(dir, 'images'), join(dir, 'link'));
    await expect(check({ out: join(dir, 'link', '..', 'new') })).resolves.toEqual({ path: join(dir, 'new'), exists: false });
  });

  test.each([
    ['is an input', (d: string) => join(d, 'data.jsonl'), 'file', /expected a path apart from the inputs, got the --data input ".*data.jsonl" itself$/],
    ['reaches an input through a symlink', (d: string) => (symlinkSync(join(d, 'data.jsonl'), join(d, 'alias')), join(d, 'alias')), 'file', /got the --data input ".*data.jsonl" itself$/],
    ['reaches an input through `..`', (d: string) => join(d, 'images', '..', 'data.jsonl'), 'file', /got the --data input ".*data.jsonl" itself$/],
    ['holds an input', (d: string) => d, 'dir', /expected a folder that holds no input, got one that holds the --data input/],
    ['is inside an input folder, even as a new path', (d: string) => join(d, 'images', 'out'), 'dir', /expected a path outside the input folders, got one inside the --images input ".*images"$/],
    ['is a file inside an input folder', (d: string) => join(d, 'images', 'vectors.npy'), 'file', /got one inside the --images input/],
  ] as const)('refused even with overwrite: an out that %s', async (_, outOf, kind, message) => {
    const dir = tree();
    const out = outOf(dir);
    const inputs = { '--data': join(dir, 'data.jsonl'), '--images': [join(dir, 'images')] };
    await expect(check({ out, kind, inputs, overwrite: true })).rejects.toThrow(message);
  });

  test('a model folder counts by its files: a new subfolder is fine; model.onnx, the folder, or its tokenizer folder is refused', async () => {
    const dir = tree();
    const inputs = { '--model': await modelInputs(join(dir, 'm')) };
    await expect(check({ out: join(dir, 'm', 'tuned'), inputs })).resolves.toMatchObject({ exists: false });
    await expect(check({ out: join(dir, 'm', 'model.onnx'), kind: 'file', inputs })).rejects.toThrow(/got the --model input ".*model.onnx" itself/);
    await expect(check({ out: join(dir, 'm'), inputs, overwrite: true })).rejects.toThrow(/holds the --model input/);
    await expect(check({ out: join(dir, 'm', 'hf'), inputs, overwrite: true })).rejects.toThrow(/holds the --model input ".*tokenizer.json"/);
    // no model.onnx yet: writing one would change which model the folder loads
    const other = newDir();
    writeFileSync(join(other, 'encoder.onnx'), 'onnx');
    await expect(check({ out: join(other, 'model.onnx'), kind: 'file', inputs: { '--model': await modelInputs(other) } })).rejects.toThrow(/model.onnx" itself/);
  });

  test('an existing folder: empty or one twinembed wrote is replaced; anything else needs --overwrite', async () => {
    const dir = newDir();
    const out = join(dir, 'out');
    mkdirSync(out);
    await expect(check({ out })).resolves.toEqual({ path: out, exists: true });
    writeFileSync(join(out, 'model.onnx'), 'x');
    writeFileSync(join(out, OUTPUT_MARKER), JSON.stringify({ twinembed: 1, command: 'finetune', files: ['model.onnx'] }));
    await expect(check({ out })).resolves.toMatchObject({ exists: true });
    for (const name of ['notes.txt', 'a', 'b', 'c']) writeFileSync(join(out, name), 'mine');
    await expect(check({ out })).rejects.toThrow(/^\[twinembed:io\] cannot write the model into ".*out": expected a new or empty folder, or one twinembed wrote, got a folder with 4 entries twinembed did not write \(a, b, c, …\); pass --overwrite to replace it$/);
    await expect(check({ out, overwrite: true })).resolves.toMatchObject({ exists: true });
    writeFileSync(join(out, OUTPUT_MARKER), '{"twinembed": 2}');
    await expect(check({ out })).rejects.toThrow(/got a folder with 6 entries/);
  });

  test('kinds and parents: a file where a folder goes, a folder where a file goes, a missing parent, parents created', async () => {
    const dir = tree();
    await expect(check({ out: join(dir, 'data.jsonl') })).rejects.toThrow(/expected a folder \(or a new path\), got a file$/);
    await expect(check({ out: join(dir, 'images'), kind: 'file' })).rejects.toThrow(/expected a file \(or a new path\), got a folder$/);
    await expect(check({ out: join(dir, 'no', 'out') })).rejects.toThrow(/expected its parent folder ".*no" to exist, got nothing$/);
    await expect(check({ out: join(dir, 'no', 'such', 'out'), createParents: true })).resolves.toMatchObject({ exists: false });
    await expect(check({ out: join(dir, 'data.jsonl', 'x', 'out'), createParents: true })).rejects.toThrow(/parent folder ".*data.jsonl" to exist, got a file$/);
    await expect(check({ out: join(dir, 'data2.jsonl'), kind: 'file', inputs: { '--data': join(dir, 'data.jsonl') } })).resolves.toMatchObject({ exists: false });
  });
});

describe('writeOutputFile', () => {
  test('replaces a regular file through a temporary sibling', async () => {
    const dir = newDir();
    const out = join(dir, 'v.npy');
    writeFileSync(out, 'old');
    await writeOutputFile(await checkOutput({ out, kind: 'file', what: 'the embeddings' }), Uint8Array.of(1, 2), 'the embeddings');
    expect([...readFileSync(out)]).toEqual([1, 2]);
    expect(readdirSync(dir)).toEqual(['v.npy']);
  });

  test('writes straight into a pipe, which stays a pipe (as --out /dev/stdout)', async () => {
    const dir = newDir();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<void>((done) => createReadStream(fifo).on('data', (c) => chunks.push(c as Buffer)).on('end', done));
    await writeOutputFile(await checkOutput({ out: fifo, kind: 'file', what: 'the embeddings' }), Uint8Array.of(7, 8, 9), 'the embeddings');
    await read;
    expect([...Buffer.concat(chunks)]).toEqual([7, 8, 9]);
    expect([statSync(fifo).isFIFO(), readdirSync(dir)]).toEqual([true, ['pipe']]);
  });
});
