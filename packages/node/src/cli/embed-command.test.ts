import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { readSafetensors } from '@twinembed/core';
import { loadEmbedder } from '../embed/load-embedder.js';
import { nodeRuntime } from '../node-runtime.js';
import { cli } from '../../../../test/support/run-cli.js';

const newDir = tempDirs('embed-cli');

/** The fixture BERT as a model directory; `tokenizerFrom` swaps in another tokenizer. */
function bertDir(tokenizerFrom = sharedPath('fixtures', 'bert-tiny-a', 'hf')): string {
  const dir = newDir();
  copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'model.legacy.onnx'), join(dir, 'model.onnx'));
  copyFileSync(join(tokenizerFrom, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  copyFileSync(join(tokenizerFrom, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
  return dir;
}

describe.skipIf(!hasShared)('twinembed embed', () => {
  const texts = ['a man is playing a guitar', 'a cat sleeps', 'someone plays the guitar on a stage tonight'];

  test('--text --json gives the API\'s rows in input order', async () => {
    const dir = bertDir();
    const { code, out, err } = await cli('embed', '--model', dir, '--text', ...texts, '--json', '--pooling', 'cls', '--batch-size', '2');
    expect([code, err]).toEqual([0, '']);
    const result = JSON.parse(out);
    const embedder = await loadEmbedder(dir, { pooling: 'cls' });
    const rows = await embedder.embed(texts);
    expect([result.dim, result.count]).toEqual([64, 3]);
    // JSON carries shortest round-trip decimals of float32 values: exact after Math.fround.
    result.embeddings.forEach((row: number[], r: number) => expect(row.map(Math.fround)).toEqual(Array.from(rows[r]!)));
    await embedder.dispose();
  });

  test('--prompt-name and --prompt put the prompt before each text, as embed({ promptName }) does', async () => {
    const dir = withPrompts();
    const embedder = await loadEmbedder(dir);
    const want = (await embedder.embed(texts, { promptName: 'query' })).map((row) => Array.from(row));
    expect(want).not.toEqual((await embedder.embed(texts)).map((row) => Array.from(row)));
    await embedder.dispose();
    for (const flags of [['--prompt-name', 'query'], ['--prompt', 'query: ']]) {
      const { code, out, err } = await cli('embed', '--model', dir, '--text', ...texts, ...flags);
      expect([code, err]).toEqual([0, '']);
      expect(JSON.parse(out).embeddings.map((row: number[]) => row.map(Math.fround))).toEqual(want);
    }
  });

  test('--input JSONL and text lines, --out FILE.npy', async () => {
    const dir = bertDir();
    const input = join(newDir(), 'in.jsonl');
    writeFileSync(input, `${JSON.stringify({ text: texts[0] })}\n${texts[1]}\n\n`);
    const out = join(newDir(), 'e.npy');
    const result = await cli('embed', '--model', dir, '--input', input, '--out', out);
    expect([result.code, result.err, result.out]).toEqual([0, '', '']);
    const bytes = readFileSync(out);
    const headerLength = bytes.readUInt16LE(8);
    expect(bytes.subarray(10, 10 + headerLength).toString()).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 64\), \} *\n$/);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes.length).toBe(10 + headerLength + 2 * 64 * 4);
  });

  const cases: [string, () => string[], RegExp][] = [
    ['a directory with no model', () => ['--model', newDir(), '--text', 'x'], /^\[twinembed:io\] model directory ".*": expected model.onnx or exactly one .onnx file, got none\n$/],
    ['a tokenizer that does not fit the vocabulary', () => ['--model', bertDir(sharedPath('tokenizers', 'all-MiniLM-L6-v2')), '--text', 'x'], /^\[twinembed:embed\] tokenizer.json does not fit the model: its ids run to 30521, but the model's token-embedding table has 1000 rows/],
    ['an image where text is expected', () => ['--model', bertDir(), '--images', pngFile()], /^\[twinembed:embed\] input 0: expected text \(a string or \{ ids \}\) for this text model, got an image\n$/],
    ['an empty input list', () => ['--model', bertDir(), '--input', emptyFile()], /^\[twinembed:embed\] inputs: expected at least one input, got an empty list\n$/],
    ['a nonexistent --output-name', () => ['--model', bertDir(), '--text', 'x', '--output-name', 'nope'], /^\[twinembed:embed\] no tensor named "nope" in the model: expected a graph output \(last_hidden_state\) or an intermediate tensor name/],
    ['two input sources', () => ['--model', bertDir(), '--text', 'x', '--input', 'y'], /^\[twinembed:cli\] embed: expected exactly one of --text, --input, --images, got --text and --input\n$/],
    ['an unknown --prompt-name', () => ['--model', withPrompts(), '--text', 'x', '--prompt-name', 'search'], /^\[twinembed:embed\] promptName: expected one of the model's prompts \(query, document\), got "search"\n$/],
    ['--prompt with --prompt-name', () => ['--model', withPrompts(), '--text', 'x', '--prompt', 'q: ', '--prompt-name', 'query'], /^\[twinembed:cli\] embed: expected at most one of --prompt, --prompt-name, got both\n$/],
    ['an invalid manifest', () => ['--model', withManifest({ pooling: 'avg', extra: 1 }), '--text', 'x'], /^\[twinembed:manifest\] .*twinembed.json is not a valid twinembed manifest: pooling: Invalid option: expected one of "mean"\|"cls"\|"max"\|"last_token"\|"none", got "avg"; \(top level\): Unrecognized key: "extra"\n$/],
  ];

  function pngFile(): string {
    const dir = newDir();
    mkdirSync(join(dir, 'img'));
    // A 1×1 PNG (from the PNG spec's smallest valid file).
    const path = join(dir, 'img', 'a.png');
    writeFileSync(path, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
    return path;
  }
  function emptyFile(): string {
    const path = join(newDir(), 'empty.txt');
    writeFileSync(path, '\n');
    return path;
  }
  /** The fixture BERT with a sentence-transformers prompt: "query" → "query: ". */
  function withPrompts(): string {
    const dir = bertDir();
    writeFileSync(join(dir, 'config_sentence_transformers.json'), JSON.stringify({ prompts: { query: 'query: ' }, default_prompt_name: null }));
    return dir;
  }
  function withManifest(manifest: object): string {
    const dir = bertDir();
    writeFileSync(join(dir, 'twinembed.json'), JSON.stringify(manifest));
    return dir;
  }

  test.each(cases)('%s: one line, exit code 2', async (_, args, message) => {
    const { code, out, err } = await cli('embed', ...args());
    expect(err).toMatch(message);
    expect([code, out, err.trim().split('\n').length]).toEqual([2, '', 1]);
  });
});

describe.skipIf(!hasShared)('twinembed export', () => {
  test('the fused file, run on raw ids by a bare onnxruntime session, gives sentence-transformers\' embeddings', async () => {
    const out = join(newDir(), 'fused.onnx');
    const { code, out: printed, err } = await cli('export', '--model', bertDir(), '--out', out, '--pooling', 'max', '--normalize');
    expect([code, err]).toEqual([0, '']);
    expect(printed).toMatch(/max pooling \+ normalize of "last_hidden_state"; inputs input_ids, attention_mask, token_type_ids; output embedding/);
    const fixture = (f: string) => readFileSync(sharedPath('fixtures', 'bert-tiny-a', f));
    const inputs = readSafetensors(fixture('inputs.safetensors'));
    const session = await nodeRuntime().createSession(out);
    const feeds = Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((n) => [n, inputs.get(n)!]));
    const { embedding } = await session.run(feeds);
    const want = readSafetensors(fixture('embeddings.safetensors')).get('embeddings_max_normalized')!;
    expect(embedding!.dims).toEqual(want.dims);
    const worst = Math.max(...Array.from(embedding!.data as Float32Array, (v, i) => Math.abs(v - (want.data as Float32Array)[i]!)));
    expect(worst).toBeLessThan(5e-7); // as the embedder's parity test: summation order only
    await session.release();
  });
});
