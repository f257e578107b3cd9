import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs.js';
import { encodeNpy, readIdsFile, readJsonlVectors, readVectorsFile } from './vectors-file.js';

const newDir = tempDirs('vectors');
const dir = newDir();

// numpy.save(np.array([[1.5, -2], [0.25, 3]], dtype='<f8' / '<f4')), base64 of the bytes numpy 2.4 wrote.
const NUMPY_F8 = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAADAAAAAAAAA0D8AAAAAAAAIQA==';
const NUMPY_F4 = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAgD4AAEBA';

function write(name: string, bytes: Uint8Array | string): string {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

describe('readVectorsFile', () => {
  test('reads float32 and float64 .npy files as numpy writes them', async () => {
    for (const b64 of [NUMPY_F4, NUMPY_F8]) {
      const m = await readVectorsFile(write('numpy.npy', Buffer.from(b64, 'base64')));
      expect([m.count, m.dim, Array.from(m.vectors)]).toEqual([2, 2, [1.5, -2, 0.25, 3]]);
    }
  });

  test('encodeNpy writes the bytes numpy.save writes', () => {
    const bytes = encodeNpy({ count: 2, dim: 2, vectors: Float32Array.of(1.5, -2, 0.25, 3) });
    expect(Buffer.from(bytes).toString('base64')).toBe(NUMPY_F4);
  });

  test('reads raw .f32 rows with --dim', async () => {
    const path = write('rows.f32', new Uint8Array(Float32Array.of(1, 2, 3, 4, 5, 6).buffer));
    const m = await readVectorsFile(path, { dim: 3 });
    expect([m.count, m.dim, Array.from(m.vectors)]).toEqual([2, 3, [1, 2, 3, 4, 5, 6]]);
  });

  const npy = (header: string, data = new Uint8Array(16)): Uint8Array => {
    const padded = header + ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
    const out = new Uint8Array(10 + padded.length + data.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 0xff, padded.length >> 8]);
    out.set(new TextEncoder().encode(padded), 10);
    out.set(data, 10 + padded.length);
    return out;
  };
  const cases: [string, () => [string, number?], RegExp][] = [
    ['a missing file', () => [join(dir, 'missing.npy')], /cannot read ".*missing.npy": no such file or directory/],
    ['another extension', () => [write('rows.bin', 'x')], /expected a .npy or .f32 file, got ".bin"/],
    ['.f32 without --dim', () => [write('a.f32', new Uint8Array(8))], /expected --dim for a raw .f32 file/],
    ['.f32 of the wrong length', () => [write('b.f32', new Uint8Array(10)), 2], /expected a non-zero multiple of 8 bytes .* got 10/],
    ['an empty .f32', () => [write('c.f32', new Uint8Array(0)), 2], /got 0$/],
    ['text in a .npy', () => [write('text.npy', 'not numpy at all')], /expected a .npy file, got bytes without the \\x93NUMPY magic/],
    ['int64 data', () => [write('int.npy', npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 1), }"))], /expected float32 or float64 data .* got '<i8'/],
    ['Fortran order', () => [write('fortran.npy', npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }"))], /expected C-order data/],
    ['a 1-D array', () => [write('flat.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"))], /expected a 2-D array of rows × dim, got shape \(4,\)/],
    ['truncated data', () => [write('short.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"))], /expected 24 data bytes for shape \(3, 2\), got 16/],
    ['a dimension other than --dim', () => [write('ok.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }")), 3], /wrong dimension .* expected 3 \(--dim\), got 2/],
    ['NaN in a row', () => [write('nan.f32', new Uint8Array(Float32Array.of(1, 2, 3, NaN).buffer)), 2], /non-finite value .* got NaN \(row 1, column 1\)/],
    // Issue 14: dims are decimal as numpy writes them; Number() also took these (0x2 read as 2 rows).
    ['a shape in hexadecimal', () => [write('hex.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0x2, 2), }"))], /expected a 2-D array of rows × dim, got shape \(0x2, 2\)/],
    ['a shape in exponent notation', () => [write('exp.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2e0, 2), }"))], /got shape \(2e0, 2\)/],
    ['a shape of 2^60 rows', () => [write('huge.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1152921504606846976, 2), }"))], /got shape \(1152921504606846976, 2\)/],
  ];
  test('reads Python 2 shapes (2L, 2L)', async () => {
    const m = await readVectorsFile(write('py2.npy', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 2L), }")));
    expect([m.count, m.dim]).toEqual([2, 2]);
  });
  test.each(cases)('refuses %s with a clear error', async (_, args, message) => {
    const [path, dim] = args();
    await expect(readVectorsFile(path, { dim })).rejects.toThrow(message);
  });
});

describe('JSONL rows', () => {
  test('vectors, ids (row number when absent) and the other fields as metadata', async () => {
    const path = write('rows.jsonl', '{"id":"a","vector":[1,2],"lang":"en"}\n\n{"vector":[3,4]}\n{"id":7,"vector":[5,6],"tags":["x"]}\n');
    const rows = await readJsonlVectors(path);
    expect([rows.count, rows.dim, Array.from(rows.vectors), rows.ids, rows.metadata]).toEqual([3, 2, [1, 2, 3, 4, 5, 6], ['a', 1, 7], [{ lang: 'en' }, undefined, { tags: ['x'] }]]);
  });

  test.each([
    ['a different length', '{"vector":[1,2]}\n{"vector":[1,2,3]}\n', /wrong dimension in ".*" line 2: expected 2, got 3/],
    ['a non-number', '{"vector":[1,"2"]}\n', /non-finite value in ".*" line 1: expected finite numbers, got "2" \(column 1\)/],
    ['an overflow to Infinity', '{"vector":[1e999,0]}\n', /got Infinity \(column 0\)/],
    ['no vector field', '{"id":1,"text":"hi"}\n', /expected "vector" to be an array of numbers, got undefined/],
    ['broken JSON', '{"vector":[1,2]}\n{"vector":[1,\n', /cannot parse ".*" line 2: expected one JSON value per line/],
    ['an object id', '{"id":{"a":1},"vector":[1]}\n', /invalid id in ".*" line 1: expected a number or a string/],
    ['no rows', '\n\n', /expected at least one JSONL row, got none/],
  ])('refuses %s', async (_, text, message) => {
    await expect(readJsonlVectors(write('bad.jsonl', text))).rejects.toThrow(message);
  });

  test('an ids file: plain ids or objects with metadata, one per vector', async () => {
    const path = write('ids.jsonl', '"doc-1"\n{"id":2,"lang":"fr"}\n');
    expect(await readIdsFile(path, 2)).toEqual({ ids: ['doc-1', 2], metadata: [undefined, { lang: 'fr' }] });
    await expect(readIdsFile(path, 3)).rejects.toThrow(/wrong number of ids in ".*": expected 3 \(one per vector\), got 2/);
  });
});
