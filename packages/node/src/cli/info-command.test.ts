import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeModel, encodeModel } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { cli } from '../../../../test/support/run-cli.js';

const newDir = tempDirs('info');

describe.skipIf(!hasShared)('twinembed info', () => {
  test('--json on the dynamo export', async () => {
    const { code, out, err } = await cli('info', sharedPath('fixtures', 'bert-tiny-a', 'model.dynamo.onnx'), '--json');
    expect([code, err]).toEqual([0, '']);
    const info = JSON.parse(out);
    expect(info.inputs).toEqual(['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, type: 'int64', shape: ['batch', 'sequence'] })));
    expect(info.outputs).toEqual([{ name: 'last_hidden_state', type: 'float32', shape: ['batch', 'sequence', 64] }]);
    expect(info.opset).toBe(18);
    expect(info.ops.MatMul).toBe(16);
    // Every element of every float initializer and float Constant tensor.
    expect(info.parameters).toBe(139397);
  });

  test('the legacy export counts the weights folded into Constant nodes', async () => {
    const { out } = await cli('info', sharedPath('fixtures', 'bert-tiny-a', 'model.legacy.onnx'), '--json');
    const legacy = JSON.parse(out);
    const { out: dynamoOut } = await cli('info', sharedPath('fixtures', 'bert-tiny-a', 'model.dynamo.onnx'), '--json');
    expect(legacy.opset).toBe(17);
    // Both exports hold the same 139,397 model weights; the legacy one adds a few scalar float constants.
    expect(legacy.parameters).toBeGreaterThanOrEqual(JSON.parse(dynamoOut).parameters);
  });

  test('initializers listed as inputs (IR 3) are not reported as inputs; other domains are named', async () => {
    const { out } = await cli('info', sharedPath('models', 'third-party', 'squeezenet_tensor_input.onnx'), '--json');
    const info = JSON.parse(out);
    expect(info.inputs).toEqual([{ name: 'data', type: 'float32', shape: ['None', 3, 227, 227] }]);
    expect(info.outputs.map((o: { type: string }) => o.type)).toEqual(['string', 'sequence']);
    expect(info.ops['ai.onnx.ml.ZipMap']).toBe(1);
  });

  test('text output and model directories', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'model.onnx'), readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'encoder.onnx')));
    const { code, out } = await cli('info', dir);
    expect(code).toBe(0);
    expect(out).toMatch(/opset 17, [\d,]+ parameters\ninputs:\n {2}image {2}float32 \[batch, 1, 28, 28\]\noutputs:\n {2}embedding {2}float32 \[batch, 32\]/);
  });
});

describe('twinembed info on bad input: one line, exit code 2, no stack trace', () => {
  const dir = newDir();
  const cases: [string, () => string, RegExp][] = [
    ['a missing file', () => join(dir, 'missing.onnx'), /^\[twinembed:io\] cannot read ".*missing.onnx": no such file or directory\n$/],
    ['garbage bytes', () => write('garbage.onnx', new TextEncoder().encode('this is not a model, just some text\n'.repeat(20))), /^\[twinembed:onnx\] cannot read ".*garbage.onnx": expected an ONNX ModelProto/],
    ['an empty file', () => write('empty.onnx', new Uint8Array(0)), /got an empty file\n$/],
    ['a truncated model', () => truncated(), /^\[twinembed:onnx\] cannot read ".*truncated.onnx": expected an ONNX ModelProto, got bytes that do not parse/],
    ['external data escaping the folder', () => escaping(), /^\[twinembed:onnx\] tensor ".*" has external data at "..\/secret.bin": expected a relative path inside the model's folder/],
  ];

  function write(name: string, bytes: Uint8Array): string {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  }
  function truncated(): string {
    const bytes = hasShared ? readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'encoder.onnx')) : encodeModel({ graph: { name: 'x'.repeat(500) }, opsetImport: [{ version: 17 }] });
    return write('truncated.onnx', bytes.subarray(0, Math.floor(bytes.length / 2)));
  }
  function escaping(): string {
    const model = decodeModel(encodeModel({ opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', initializer: [{ name: 'w', dataType: 1, dims: [1], dataLocation: 1, externalData: [{ key: 'location', value: '../secret.bin' }] }] } }));
    return write('escaping.onnx', encodeModel(model));
  }

  test.each(cases)('%s', async (_, path, message) => {
    const { code, out, err } = await cli('info', path());
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  test('a usage error', async () => {
    const { code, err } = await cli('info');
    expect(code).toBe(2);
    expect(err).toMatch(/missing required argument 'model'/);
  });

  test('--help for every command', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/Commands:\n\s+info/);
    const info = await cli('info', '--help');
    expect([info.code, info.out.includes('--json')]).toEqual([0, true]);
  });
});
