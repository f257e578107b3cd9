// The loaders on every source a page may hold, checked against @twinembed/node's reading of the
// same directory on disk (the oracle), plus external data, picked folders and the errors.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTensor, createTextTokenizer, decodeModel, encodeModel, GraphBuilder, type ModelFiles } from '@twinembed/core';
import { loadModelDirectory } from '@twinembed/node';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { webRuntime } from '../web-runtime.js';
import { loadModel, loadModelFromUrl } from './load-model.js';
import { pickedFiles } from './model-directory.js';
import { loadTokenizer } from './load-tokenizer.js';

const newDir = tempDirs('web-load');
const fixture = (...f: string[]) => sharedPath('fixtures', 'bert-tiny-a', ...f);
const bytesOf = (path: string) => new Uint8Array(readFileSync(path));

/** A model directory laid out as twinembed.json may describe it: the model in onnx/, the tokenizer in hf/. */
function nestedModelDir(): string {
  const dir = newDir();
  mkdirSync(join(dir, 'onnx'));
  mkdirSync(join(dir, 'hf'));
  copyFileSync(fixture('model.dynamo.onnx'), join(dir, 'onnx', 'encoder.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture('hf', f), join(dir, 'hf', f));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify({ model: 'onnx/encoder.onnx', tokenizer: 'hf', pooling: 'cls' }));
  mkdirSync(join(dir, '1_Pooling'));
  writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_mean_tokens: true }));
  writeFileSync(join(dir, 'modules.json'), JSON.stringify([{ type: 'sentence_transformers.models.Normalize' }]));
  writeFileSync(join(dir, 'config_sentence_transformers.json'), JSON.stringify({ prompts: { query: 'query: ' } }));
  return dir;
}

/** Same bytes (compared as Buffers: deep equality over 800 kB is slow) and the same parsed files. */
function expectSameFiles(actual: ModelFiles, expected: ModelFiles): void {
  const { onnx, source: _a, ...rest } = actual;
  const { onnx: expectedOnnx, source: _b, ...expectedRest } = expected;
  expect(Buffer.from(onnx).equals(Buffer.from(expectedOnnx))).toBe(true);
  expect(rest).toEqual(expectedRest);
}

describe.skipIf(!hasShared)('loadModel on a model directory', () => {
  test('a map of path → File, Blob, Response or bytes reads as @twinembed/node reads the folder', async () => {
    const dir = nestedModelDir();
    const expected = await loadModelDirectory(dir);
    const files = {
      ...Object.fromEntries(['1_Pooling/config.json', 'modules.json', 'config_sentence_transformers.json'].map((f) => [f, bytesOf(join(dir, f))])),
      'twinembed.json': new Blob([readFileSync(join(dir, 'twinembed.json'))]),
      'onnx/encoder.onnx': bytesOf(join(dir, 'onnx', 'encoder.onnx')),
      'hf/tokenizer.json': new Response(readFileSync(join(dir, 'hf', 'tokenizer.json'))),
      'hf/tokenizer_config.json': new File([readFileSync(join(dir, 'hf', 'tokenizer_config.json'))], 'tokenizer_config.json'),
    };
    expectSameFiles(await loadModel(files), expected);
    expectSameFiles(await loadModel(new Map(Object.entries({ ...files, 'hf/tokenizer.json': bytesOf(join(dir, 'hf', 'tokenizer.json')) }))), expected);
  });

  test('a base URL reads the same files through fetch', async () => {
    const dir = nestedModelDir();
    const fetch = async (url: string) => {
      try {
        return new Response(readFileSync(join(dir, url.replace('https://models.example/nested/', ''))));
      } catch {
        return new Response('not found', { status: 404 });
      }
    };
    const expected = await loadModelDirectory(dir);
    expectSameFiles(await loadModel('https://models.example/nested/', { fetch }), expected);
    expectSameFiles(await loadModelFromUrl('https://models.example/nested', { fetch }), expected);
  });

  test('picked files: paths are relative to the picked folder; a lone .onnx file is the model', async () => {
    const file = (path: string, bytes: Uint8Array) => Object.defineProperty(new File([bytes as Uint8Array<ArrayBuffer>], path.split('/').pop()!), 'webkitRelativePath', { value: path });
    const picked = [file('bert/weights.onnx', bytesOf(fixture('model.dynamo.onnx'))), file('bert/tokenizer.json', bytesOf(fixture('hf', 'tokenizer.json')))];
    expect([...pickedFiles(picked).keys()]).toEqual(['weights.onnx', 'tokenizer.json']);
    const files = await loadModel(picked);
    expect(Buffer.from(files.onnx).equals(readFileSync(fixture('model.dynamo.onnx')))).toBe(true);
    expect(files.tokenizer?.json).toEqual(JSON.parse(readFileSync(fixture('hf', 'tokenizer.json'), 'utf8')));
  });

  test('errors name the file and what was expected', async () => {
    await expect(loadModel({ 'tokenizer.json': new Uint8Array(2) })).rejects.toThrow(/^\[twinembed:io\] model directory the given files: expected model.onnx or exactly one .onnx file, got none/);
    await expect(loadModel({ 'a.onnx': new Uint8Array(1), 'b.onnx': new Uint8Array(1) })).rejects.toThrow(/got a.onnx, b.onnx/);
    await expect(loadModel({ 'twinembed.json': new TextEncoder().encode('{"model": "../x.onnx"}') })).rejects.toThrow(/^\[twinembed:manifest\] twinembed.json model: expected a path inside the given files, got "..\/x.onnx"/);
    await expect(loadModel({ 'twinembed.json': new TextEncoder().encode('{"pooling": "sum"}'), 'model.onnx': new Uint8Array(1) })).rejects.toThrow(/\[twinembed:manifest\] twinembed.json in the given files is not a valid twinembed manifest: pooling/);
    await expect(loadModel({ 'model.onnx': new Uint8Array(1) })).rejects.toThrow(/^\[twinembed:onnx\] cannot read "model.onnx" in the given files: expected an ONNX ModelProto/);
    await expect(loadModel({ 'model.onnx': externalModel().standalone, 'tokenizer.json': new TextEncoder().encode('{nope') })).rejects.toThrow(/^\[twinembed:io\] "tokenizer.json" in the given files: expected JSON/);
    await expect(loadModel(42 as never)).rejects.toThrow(/^\[twinembed:io\] loadModel: expected a URL, Response, Blob, bytes.*got \[object Number\]/);
  });
});

/** y = x · W with W held in "weights.bin" at offset 8 (external data), and the same model standing alone. */
function externalModel(): { standalone: Uint8Array; external: Uint8Array; weights: Uint8Array } {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 3]);
  b.output(b.op.MatMul(x, b.initializer('w', Float32Array.from([1, -2, 0.5, 4, 3, -1]), [3, 2])), 'y');
  const standalone = encodeModel(b.toModel());
  const model = decodeModel(standalone);
  const w = model.graph!.initializer![0]!;
  const weights = new Uint8Array(8 + w.rawData!.length);
  weights.set(w.rawData!, 8);
  Object.assign(w, { rawData: new Uint8Array(0), dataLocation: 1, externalData: [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '8' }, { key: 'length', value: String(w.rawData!.length) }] });
  return { standalone, external: encodeModel(model), weights };
}

describe('loadModel on one .onnx file', () => {
  test('bytes, Blob, Response and ArrayBuffer give the file itself', async () => {
    const { standalone } = externalModel();
    const own = new Uint8Array(standalone);
    for (const source of [standalone, new Blob([own]), new Response(own), own.buffer]) {
      expect(Array.from((await loadModel(source)).onnx)).toEqual(Array.from(own));
    }
  });

  test('external data is read from the directory and inlined; alone, such a file is refused', async () => {
    const { standalone, external, weights } = externalModel();
    const files = await loadModel({ 'model.onnx': external, 'weights.bin': weights });
    const x = { x: createTensor('float32', Float32Array.from([1, 2, 3, -1, 0, 2]), [2, 3]) };
    const run = async (bytes: Uint8Array) => Array.from((await (await webRuntime().createSession(bytes)).run(x)).y!.data as Float32Array);
    expect(await run(files.onnx)).toEqual(await run(standalone));
    await expect(loadModel(external)).rejects.toThrow(/^\[twinembed:io\] \d+ bytes keeps tensors in "weights.bin": expected a model that stands alone; load its folder instead/);
    await expect(loadModel({ 'model.onnx': external })).rejects.toThrow(/model directory the given files: expected "weights.bin", got no such file/);
  });
});

describe.skipIf(!hasShared)('loadTokenizer', () => {
  test('from a Blob and parsed JSON: the same ids as from the files on disk', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const fromBlob = await loadTokenizer({ json: new Blob([readFileSync(fixture('hf', 'tokenizer.json'))]), config: JSON.parse(readFileSync(fixture('hf', 'tokenizer_config.json'), 'utf8')) });
    const fromBytes = await loadTokenizer({ json: bytesOf(fixture('hf', 'tokenizer.json')), maxLength: 6 });
    const files = await loadModelDirectory(nestedModelDir());
    expect(Array.from(fromBlob.encode(text).ids)).toEqual(Array.from(createTextTokenizer({ json: files.tokenizer!.json, config: files.tokenizer!.config }).encode(text).ids));
    expect(fromBytes.encode(text).ids.length).toBe(6);
  });
});
