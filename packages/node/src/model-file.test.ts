import { readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTensor, decodeModel, encodeModel, type ModelProto } from '@twinembed/core';
import { loadModelFile, readModelBytes, readModelStructure, resolveModelPath, saveModelFile } from './model-file.js';
import { nodeRuntime } from './node-runtime.js';

import { hasShared, sharedPath } from '../../../test/support/paths.js';
import { tempDirs } from '../../../test/support/temp-dirs.js';

const newDir = tempDirs('model-file');

const KOCH = sharedPath('fixtures', 'koch-cnn-a', 'encoder.onnx');

/** Moves every initializer of the Koch encoder into `weights.bin` (or `location`), as ONNX's external data does. */
function externalize(dir: string, location = 'weights.bin'): string {
  const model = decodeModel(readFileSync(KOCH));
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of model.graph!.initializer!) {
    const bytes = tensor.rawData!;
    tensor.externalData = [{ key: 'location', value: location }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(bytes.length) }];
    tensor.dataLocation = 1;
    tensor.rawData = new Uint8Array(0);
    chunks.push(bytes);
    offset += bytes.length;
  }
  writeFileSync(join(dir, 'weights.bin'), Buffer.concat(chunks));
  writeFileSync(join(dir, 'model.onnx'), encodeModel(model));
  return join(dir, 'model.onnx');
}

async function embed(model: Uint8Array | string): Promise<Float32Array> {
  const session = await nodeRuntime({ intraOpNumThreads: 1 }).createSession(model);
  const image = createTensor('float32', Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => (i % 17) / 17), [2, 1, 28, 28]);
  const { embedding } = await session.run({ image });
  return embedding!.data as Float32Array;
}

describe.skipIf(!hasShared)('model files with external data', () => {
  test('load with external data, run, and get the original outputs', async () => {
    const path = externalize(newDir());
    expect(readFileSync(path).length).toBeLessThan(2000);
    const expected = await embed(new Uint8Array(readFileSync(KOCH)));
    expect(await embed(encodeModel(await loadModelFile(path)))).toEqual(expected);
    expect(await embed(path)).toEqual(expected);
    expect(await embed(await readModelBytes(join(path, '..')))).toEqual(expected);
  });

  test.each(['../weights.bin', '/etc/passwd', 'sub/../../weights.bin'])('refuses external data at %j', async (location) => {
    const path = externalize(newDir(), location);
    await expect(loadModelFile(path)).rejects.toThrow(/expected a relative path inside the model's folder/);
    await expect(readModelStructure(path)).rejects.toThrow(/escapes/);
  });

  test('refuses a symlink that leads out of the model folder', async () => {
    const outside = newDir();
    const dir = newDir();
    const path = externalize(dir, 'link.bin');
    writeFileSync(join(outside, 'weights.bin'), readFileSync(join(dir, 'weights.bin')));
    symlinkSync(join(outside, 'weights.bin'), join(dir, 'link.bin'));
    await expect(loadModelFile(path)).rejects.toThrow(/resolves to .*expected a file inside the model's folder/);
  });

  test('refuses a truncated data file', async () => {
    const dir = newDir();
    const path = externalize(dir);
    truncateSync(join(dir, 'weights.bin'), 100);
    await expect(loadModelFile(path)).rejects.toThrow(/but the file has 100 bytes \(truncated\?\)/);
  });
});

describe('model paths and atomic saves', () => {
  test('a directory resolves to its model.onnx, or names what it found', async () => {
    const dir = newDir();
    await expect(resolveModelPath(dir)).rejects.toThrow(/expected model.onnx or exactly one .onnx file, got none/);
    writeFileSync(join(dir, 'a.onnx'), '');
    writeFileSync(join(dir, 'b.onnx'), '');
    await expect(resolveModelPath(dir)).rejects.toThrow(/got a.onnx, b.onnx/);
    writeFileSync(join(dir, 'model.onnx'), '');
    expect(await resolveModelPath(dir)).toBe(join(dir, 'model.onnx'));
  });

  test('saveModelFile replaces the file whole and leaves no temporary file', async () => {
    const dir = newDir();
    const model: ModelProto = { irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g' } };
    await saveModelFile(join(dir, 'model.onnx'), model);
    expect(decodeModel(readFileSync(join(dir, 'model.onnx'))).graph!.name).toBe('g');
    await expect(saveModelFile(join(dir, 'missing-folder', 'model.onnx'), model)).rejects.toThrow(/cannot write model/);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });
});
