// scripts/lib/use-lite-params.ts, which lets scripts/train-text-sts.ts store fine-tuned weights as
// models/text stores the imported ones: parameters read back from the float32 import and rebuilt
// with int8 storage give models/text's model.onnx byte for byte; a lost or extra parameter is an error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeModel, readTfjsWeights, useLiteEncoder, useLiteWeights } from '@twinembed/node';
import { floatInitializers, useLiteWeightsFromParams } from '../scripts/lib/use-lite-params.js';
import { textModelFiles } from '../scripts/lib/text-model.js';
import { REPO_ROOT } from './support/paths.js';
import { hasUseLitePackage, USE_LITE_DIST } from './support/use-lite-package.js';

function imported() {
  const manifest = JSON.parse(readFileSync(join(USE_LITE_DIST, 'model.json'), 'utf8')) as unknown;
  return useLiteWeights(readTfjsWeights({ manifest, shards: (path) => readFileSync(join(USE_LITE_DIST, path)), source: 'model.json' }));
}

describe.skipIf(!hasUseLitePackage)('useLiteWeightsFromParams', () => {
  const base = hasUseLitePackage ? imported() : undefined;

  it('rebuilds models/text exactly from the float32 import\'s parameters', () => {
    const params = floatInitializers(textModelFiles('float32')['model.onnx']!);
    expect(params.size).toBe(29); // 1 table + 14 (layer 0, with its residual projection) + 12 (layer 1) + 2 (hidden); constants are Constant nodes
    const rebuilt = encodeModel(useLiteEncoder({ weights: useLiteWeightsFromParams(base!, params), storage: 'int8' }).toModel());
    expect(Buffer.from(rebuilt).equals(readFileSync(join(REPO_ROOT, 'models', 'text', 'model.onnx')))).toBe(true);
  });

  it('uses the given values, transposed back into the file\'s [in, out] kernels', () => {
    const params = floatInitializers(textModelFiles('float32')['model.onnx']!);
    const qkv = params.get('layer.1.attention.qkv.weight')!; // [1536, 512]
    const changed = new Map(params).set('layer.1.attention.qkv.weight', { dims: qkv.dims, data: qkv.data.map((x, i) => (i === 3 * 512 + 7 ? 42 : x)) });
    const kernel = useLiteWeightsFromParams(base!, changed).layers[1]!.qkv.kernel; // [512, 1536]: row 7, column 3
    expect(kernel[7 * 1536 + 3]).toBe(42);
    expect(kernel.filter((x) => x === 42)).toHaveLength(1);
  });

  it('refuses a missing parameter, other dims, and a parameter it does not know', () => {
    const params = floatInitializers(textModelFiles('float32')['model.onnx']!);
    const without = new Map(params);
    without.delete('layer.0.ffn.conv2.bias');
    expect(() => useLiteWeightsFromParams(base!, without)).toThrow('parameter "layer.0.ffn.conv2.bias": expected a float32 initializer, got none');
    const hidden = params.get('hidden.weight')!;
    const reshaped = new Map(params).set('hidden.weight', { dims: [256, 1024], data: hidden.data });
    expect(() => useLiteWeightsFromParams(base!, reshaped)).toThrow('parameter "hidden.weight": expected dims [512, 512], got [256, 1024]');
    const extra = new Map(params).set('layer.2.attention.qkv.bias', { dims: [3], data: new Float32Array(3) });
    expect(() => useLiteWeightsFromParams(base!, extra)).toThrow('parameters not mapped to USE lite weights: layer.2.attention.qkv.bias');
  });
});
