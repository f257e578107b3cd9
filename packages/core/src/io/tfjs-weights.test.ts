// The TF.js weights reader on hand-made manifests: values written with DataView at known offsets,
// quantized values worked out by hand from tfjs-core's formulas, and every malformed input refused.
import { describe, expect, it } from 'vitest';
import { float16ToFloat32, parseWeightsManifest, readTfjsWeights } from './tfjs-weights.js';

function bytesOf(write: (view: DataView) => void, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  write(new DataView(bytes.buffer));
  return bytes;
}

describe('readTfjsWeights', () => {
  it('reads float32 and int32 weights across shards, a weight straddling the shard boundary', () => {
    const floats = [1.5, -2.25, 3.0000001, 1e-30, -0];
    const all = bytesOf((v) => {
      floats.forEach((x, i) => v.setFloat32(4 * i, x, true));
      v.setInt32(20, -7, true);
      v.setInt32(24, 2 ** 31 - 1, true);
    }, 28);
    const shards = new Map([['a', all.subarray(0, 10)], ['b', all.subarray(10)]]); // splits the third float
    const manifest = [{ paths: ['a', 'b'], weights: [{ name: 'w', shape: [5], dtype: 'float32' }, { name: 'i', shape: [1, 2], dtype: 'int32' }] }];
    const tensors = readTfjsWeights({ manifest, shards });
    expect(tensors.get('w')).toEqual({ type: 'float32', dims: [5], data: Float32Array.from(floats) });
    expect(tensors.get('i')).toEqual({ type: 'int32', dims: [1, 2], data: Int32Array.from([-7, 2 ** 31 - 1]) });
  });

  it('dequantizes uint8 and uint16 as q · scale + min, rounding int32 weights, and decodes float16', () => {
    const manifest = { weightsManifest: [
      { paths: ['q8'], weights: [{ name: 'u8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } }] },
      { paths: ['q16'], weights: [
        { name: 'u16', shape: [3], dtype: 'int32', quantization: { dtype: 'uint16', scale: 0.4, min: 0 } },
        { name: 'f16', shape: [5], dtype: 'float32', quantization: { dtype: 'float16' } },
      ] },
    ] };
    const q16 = bytesOf((v) => [1, 2, 3, 0x3c00, 0xc000, 0x0001, 0x7bff, 0xfc00].forEach((x, i) => v.setUint16(2 * i, x, true)), 16);
    const tensors = readTfjsWeights({ manifest, shards: (path) => (path === 'q8' ? Uint8Array.from([0, 1, 255]) : q16) });
    expect(tensors.get('u8')!.data).toEqual(Float32Array.from([-1, -0.5, 126.5]));
    expect(tensors.get('u16')).toEqual({ type: 'int32', dims: [3], data: Int32Array.from([0, 1, 1]) }); // round(0.4, 0.8, 1.2)
    expect(tensors.get('f16')!.data).toEqual(Float32Array.from([1, -2, 2 ** -24, 65504, -Infinity]));
  });

  it('decodes float16 NaN and subnormals', () => {
    expect(float16ToFloat32(0x7e00)).toBeNaN();
    expect(float16ToFloat32(0x03ff)).toBe(1023 * 2 ** -24);
    expect(float16ToFloat32(0x8000)).toBe(-0);
  });

  it('refuses shards shorter or longer than the manifest says, before reading any weight', () => {
    const manifest = [{ paths: ['s1', 's2'], weights: [{ name: 'w', shape: [2, 3], dtype: 'float32' }] }];
    const short = new Map([['s1', new Uint8Array(16)], ['s2', new Uint8Array(4)]]);
    expect(() => readTfjsWeights({ manifest, shards: short })).toThrow(/weight group 0: expected 24 bytes for its 1 weights, got 20 in 2 shard\(s\) \[s1, s2\]/);
    const long = new Map([['s1', new Uint8Array(16)], ['s2', new Uint8Array(12)]]);
    expect(() => readTfjsWeights({ manifest, shards: long })).toThrow(/expected 24 bytes .* got 28/);
    expect(() => readTfjsWeights({ manifest, shards: new Map([['s1', new Uint8Array(24)]]) })).toThrow(/expected the shard "s2", got none/);
  });

  it('refuses malformed manifests with the weight they are about', () => {
    const bad = (weight: object) => () => parseWeightsManifest([{ paths: ['x'], weights: [weight] }]);
    expect(() => parseWeightsManifest({})).toThrow(/expected a weightsManifest array, got none/);
    expect(() => parseWeightsManifest([{ paths: 'x', weights: [] }])).toThrow(/expected "paths" to be an array of strings/);
    expect(bad({ name: 'w', shape: [2], dtype: 'string' })).toThrow(/weight 0 \("w"\): expected dtype float32 or int32, got "string"/);
    expect(bad({ name: 'w', shape: [-1], dtype: 'float32' })).toThrow(/expected "shape" to be integers ≥ 0, got \[-1\]/);
    expect(bad({ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', min: 0 } })).toThrow(/uint8 quantization needs finite numbers "scale" and "min", got scale none/);
    expect(bad({ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'int8', min: 0, scale: 1 } })).toThrow(/quantization dtype uint8, uint16 or float16, got "int8"/);
    expect(bad({ name: 'w', shape: [2], dtype: 'int32', quantization: { dtype: 'float16' } })).toThrow(/float16 quantization needs a float32 weight, got int32/);
    const twice = [{ paths: ['x'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }, { name: 'w', shape: [1], dtype: 'float32' }] }];
    expect(() => readTfjsWeights({ manifest: twice, shards: () => new Uint8Array(8) })).toThrow(/weight "w" appears twice/);
  });
});
