// The safetensors writer against the reader (every dtype, metadata, alignment) and against the
// Python library: each fixture it wrote must re-encode to exactly its bytes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTensor, type Tensor } from '../runtime/runtime.js';
import { DATA_TYPES, type DataType } from '../onnx/data-type.js';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { decodeSafetensors, encodeSafetensors, readSafetensors } from './safetensors.js';

const tensors: Record<string, Tensor> = {
  'z.float32': createTensor('float32', Float32Array.of(1.5, -0, NaN, Infinity, 3e-45, -2), [2, 3]),
  'y.float64': createTensor('float64', Float64Array.of(Math.PI, -1e300), [2]),
  'x.float16': createTensor('float16', Uint16Array.of(0x3c00, 0xfc00, 0x0001), [3]),
  'w.bfloat16': createTensor('bfloat16', Uint16Array.of(0x3f80, 0x7fc0), [2, 1]),
  'v.int64': createTensor('int64', BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 0n), [3]),
  'u.uint64': createTensor('uint64', BigUint64Array.of(2n ** 64n - 1n), [1]),
  't.int32': createTensor('int32', Int32Array.of(-7, 2 ** 31 - 1), [1, 2]),
  's.uint32': createTensor('uint32', Uint32Array.of(2 ** 32 - 1), []),
  'r.int16': createTensor('int16', Int16Array.of(-300, 300, 1), [3]),
  'q.uint16': createTensor('uint16', Uint16Array.of(65535), [1, 1, 1]),
  'p.int8': createTensor('int8', Int8Array.of(-128, 127, 0), [3]),
  'o.uint8': createTensor('uint8', Uint8Array.of(1, 2, 3, 4, 5), [5]),
  'n.bool': createTensor('bool', Uint8Array.of(1, 0, 1), [3]),
  'm.empty': createTensor('float32', new Float32Array(0), [0, 4]),
};

const bytesOf = (t: Tensor) => Buffer.from((t.data as Uint8Array).buffer, (t.data as Uint8Array).byteOffset, (t.data as Uint8Array).byteLength);
const headerOf = (bytes: Uint8Array) => {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, text: new TextDecoder().decode(bytes.subarray(8, 8 + length)) };
};

describe('encodeSafetensors → decodeSafetensors', () => {
  test('every dtype, a scalar, an empty tensor and metadata come back equal', () => {
    const metadata = { format: 'pt', step: '12', note: 'ünïcode "quoted"' };
    const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect(decoded.metadata).toEqual(metadata);
    expect([...decoded.tensors.keys()].sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const back = decoded.tensors.get(name)!;
      expect([name, back.type, back.dims]).toEqual([name, t.type, t.dims]);
      expect(bytesOf(back).equals(bytesOf(t))).toBe(true);
    }
  });

  test('a Map and a record encode alike; no metadata means no __metadata__ entry', () => {
    const bytes = encodeSafetensors(tensors);
    expect(encodeSafetensors(new Map(Object.entries(tensors)))).toEqual(bytes);
    expect(headerOf(bytes).text).not.toContain('__metadata__');
    expect(decodeSafetensors(bytes).metadata).toBeUndefined();
  });

  test('header padded with spaces to 8 bytes; every tensor starts at a multiple of its element size', () => {
    for (const metadata of [undefined, {}, { a: 'x' }, { a: 'xy' }, { a: 'xyz' }] as (Record<string, string> | undefined)[]) {
      const bytes = encodeSafetensors({ b: tensors['o.uint8']!, a: tensors['y.float64']!, c: tensors['r.int16']! }, metadata);
      const { length, text } = headerOf(bytes);
      expect(length % 8).toBe(0);
      expect(text).toMatch(/^\{.*\} *$/);
      const header = JSON.parse(text);
      expect(Object.keys(header)).toEqual([...(metadata ? ['__metadata__'] : []), 'a', 'c', 'b']); // F64, I16, U8: decreasing alignment
      for (const [name, size] of [['a', 8], ['c', 2], ['b', 1]] as const) expect((8 + length + header[name].data_offsets[0]) % size).toBe(0);
      expect(bytes.length).toBe(8 + length + 16 + 6 + 5);
    }
  });
});

describe('refused input', () => {
  const good = encodeSafetensors({ a: tensors['z.float32']! }, { k: 'v' });
  const withHeader = (json: string, data = new Uint8Array(0)) => {
    const text = new TextEncoder().encode(json);
    const bytes = new Uint8Array(8 + text.length + data.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
    bytes.set(text, 8);
    bytes.set(data, 8 + text.length);
    return bytes;
  };
  test.each([
    ['a truncated file', () => good.subarray(0, good.length - 1), /f\.st: expected 24 bytes of tensor data after the header, got 23 \(truncated or corrupt file\)/],
    ['trailing bytes', () => Uint8Array.of(...good, 0), /expected 24 bytes of tensor data after the header, got 25/],
    ['a file shorter than the length prefix', () => good.subarray(0, 5), /f\.st: expected at least 8 bytes, got 5/],
    ['a header cut short', () => good.subarray(0, 20), /f\.st: header of \d+ bytes does not fit in a 20-byte file/],
    ['a header that is not JSON', () => withHeader('{"a": '), /f\.st: the header is not valid JSON/],
    ['a header that is not an object', () => withHeader('[1]'), /f\.st: expected a JSON object as header, got \[1\]/],
    ['metadata that is not strings', () => withHeader('{"__metadata__":{"step":3}}'), /f\.st: expected __metadata__ to map strings to strings, got \{"step":3\}/],
    ['a shape that is not integers', () => withHeader('{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}', Uint8Array.of(1)), /tensor "a": expected a shape of integers ≥ 0, got \[1\.5\]/],
    ['offsets that do not match the shape', () => withHeader('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,1]}}', Uint8Array.of(1)), /tensor "a": expected 2 bytes within the data section, got offsets \[0, 1\) of 1/],
    ['an unknown dtype', () => withHeader('{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', Uint8Array.of(1)), /tensor "a": dtype F8_E4M3 is not supported/],
    // Issue 14: hostile headers (the first, the method-named dtype, overlaps, gaps and the size cap were a TypeError or accepted).
    ['an entry without data_offsets', () => withHeader('{"a":{"dtype":"U8","shape":[1]}}', Uint8Array.of(1)), /tensor "a": expected 1 bytes within the data section, got data_offsets undefined of 1/],
    ['an entry that is null', () => withHeader('{"a":null}'), /tensor "a": dtype undefined is not supported/],
    ['string offsets', () => withHeader('{"a":{"dtype":"U8","shape":[1],"data_offsets":["0","1"]}}', Uint8Array.of(1)), /tensor "a": expected 1 bytes within the data section, got offsets \[0, 1\) of 1/],
    ['a dtype named after an Object method', () => withHeader('{"a":{"dtype":"toString","shape":[1],"data_offsets":[0,1]}}', Uint8Array.of(1)), /dtype toString is not supported/],
    ['two tensors on the same bytes', () => withHeader('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}', Uint8Array.of(1, 2)), /tensor "b": expected its data to start at byte 2 of the data section \(no gaps or overlaps\), got 0/],
    ['a gap between tensors', () => withHeader('{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', Uint8Array.of(1, 2)), /tensor "a": expected its data to start at byte 0 .* got 1/],
    ['a header over 100 MB', () => {
      const bytes = new Uint8Array(8 + 100_000_001);
      new DataView(bytes.buffer).setBigUint64(0, 100_000_001n, true);
      return bytes;
    }, /expected a header of at most 100000000 bytes \(the Python library's limit\), got 100000001/],
  ])('%s', (_, bytes, message) => {
    expect(() => decodeSafetensors(bytes(), 'f.st')).toThrow(message);
  });

  test.each([
    ['a string tensor', () => encodeSafetensors({ s: createTensor('string', ['x'], [1]) }), /tensor "s": expected one of the types .*, got string/],
    ['data that does not match the dims', () => encodeSafetensors({ a: { type: 'float32', dims: [3], data: new Float32Array(2) } }), /tensor "a": expected 12 bytes for float32 \[3\], got 8/],
    ['a tensor named __metadata__', () => encodeSafetensors({ __metadata__: tensors['o.uint8']! }), /"__metadata__" is the metadata key, not a tensor name/],
    ['a metadata value that is not a string', () => encodeSafetensors({}, { step: 3 as unknown as string }), /expected __metadata__ values to be strings, got number for "step"/],
  ])('encode: %s', (_, encode, message) => {
    expect(encode).toThrow(message);
  });
});

describe.skipIf(!hasShared)('files written by the Python safetensors library (../shared/fixtures)', () => {
  const files = hasShared ? readdirSync(sharedPath('fixtures'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.safetensors')).sort() : [];

  test('there are fixtures with and without metadata, of more than one dtype', () => {
    const decoded = files.map((f) => decodeSafetensors(readFileSync(sharedPath('fixtures', f))));
    expect(decoded.some((d) => d.metadata) && decoded.some((d) => !d.metadata)).toBe(true);
    expect(new Set(decoded.flatMap((d) => [...d.tensors.values()].map((t) => t.type))).size).toBeGreaterThan(1);
  });

  test.each(files)('%s re-encodes to the same bytes', (file) => {
    const bytes = new Uint8Array(readFileSync(join(sharedPath('fixtures'), file)));
    const { tensors: read, metadata } = decodeSafetensors(bytes, file);
    const encoded = encodeSafetensors(read, metadata);
    expect(Buffer.from(encoded).equals(Buffer.from(bytes))).toBe(true);
    const back = readSafetensors(encoded);
    for (const [name, t] of read) expect(bytesOf(back.get(name)!).equals(bytesOf(t))).toBe(true);
  });
});

test('DATA_TYPES and the writer agree on every non-string type', () => {
  const types = Object.keys(DATA_TYPES).filter((t) => t !== 'string') as DataType[];
  expect(new Set(Object.values(tensors).map((t) => t.type))).toEqual(new Set(types));
});
