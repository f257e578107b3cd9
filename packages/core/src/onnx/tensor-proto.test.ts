// TensorProto values from hostile files: dims are checked, and the file's values must back them
// before anything is allocated (dims of 2^40 with no values used to throw a RangeError, and
// 2^28 allocated a gigabyte before failing).
import { describe, expect, test } from 'vitest';
import { TwinembedError } from '../errors.js';
import { makeTensorProto, tensorValues } from './tensor-proto.js';
import type { TensorProto } from './proto.js';

const refuses = (tensor: TensorProto, message: RegExp) => {
  expect(() => tensorValues(tensor)).toThrow(TwinembedError);
  expect(() => tensorValues(tensor)).toThrow(message);
};

describe('tensorValues on hostile tensors', () => {
  test('reads what makeTensorProto writes, and typed fields', () => {
    expect(Array.from(tensorValues(makeTensorProto('w', 'float32', [2, 2], Float32Array.of(1, 2, 3, 4))) as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(tensorValues({ name: 'f', dataType: 1, dims: [3], floatData: [1, 2, 3] }) as Float32Array)).toEqual([1, 2, 3]);
    expect(tensorValues({ name: 's', dataType: 8, dims: [2], stringData: [new TextEncoder().encode('a'), new Uint8Array(0)] })).toEqual(['a', '']);
  });

  test('dims far beyond the values given are refused before allocating', () => {
    refuses({ name: 'huge', dataType: 1, dims: [2 ** 40], floatData: [] }, /tensor "huge": expected 1099511627776 values, got 0/);
    refuses({ name: 'big', dataType: 7, dims: [2 ** 28], int64Data: [1] }, /tensor "big": expected 268435456 values, got 1/);
    refuses({ name: 'raw', dataType: 1, dims: [2 ** 30, 2 ** 30], rawData: new Uint8Array(4) }, /expected dims of integers ≥ 0 with a product below 2\^53, got \[1073741824, 1073741824\]/);
  });

  test('negative or fractional dims are refused', () => {
    refuses({ name: 'neg', dataType: 1, dims: [-1], floatData: [] }, /tensor "neg": expected dims of integers ≥ 0 .* got \[-1\]/);
    refuses({ name: 'half', dataType: 1, dims: [1.5], floatData: [1] }, /got \[1\.5\]/);
  });

  test('a string tensor must hold one string per element', () => {
    refuses({ name: 's', dataType: 8, dims: [3], stringData: [new Uint8Array(1)] }, /tensor "s": expected 3 strings for dims \[3\], got 1/);
  });
});
