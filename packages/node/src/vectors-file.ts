// Vectors from files for the CLI: NumPy `.npy` (float32/float64, 2-D, C order), raw little-endian
// `.f32` with a given dimension, and JSONL rows carrying a vector, an id and metadata.
// Everything is checked before the caller builds anything, with the file and row in the error.
import { extname } from 'node:path';
import { fail, type Metadata, type VectorId } from '@twinembed/core';
import { readRegularFile } from './read-regular-file.js';

const AREA = 'io';

export interface VectorMatrix {
  count: number;
  dim: number;
  /** Row-major `count × dim`. */
  vectors: Float32Array;
}

export interface JsonlRows extends VectorMatrix {
  ids: VectorId[];
  /** One entry per row; undefined where the row carries nothing beyond its id and vector. */
  metadata: (Metadata | undefined)[];
}

async function readBytes(path: string): Promise<Uint8Array> {
  return readRegularFile(path);
}

export interface ReadVectorsOptions {
  /** Row length: required for `.f32`, checked against `.npy`. */
  dim?: number;
  /** Where `dim` came from, for the error message. Default "--dim". */
  dimFrom?: string;
}

/** Reads `.npy` or `.f32` (which needs `dim`); `dim`, when given, must match a `.npy` file's. */
export async function readVectorsFile(path: string, options: ReadVectorsOptions = {}): Promise<VectorMatrix> {
  const { dim, dimFrom = '--dim' } = options;
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && ext !== '.f32') fail(AREA, `cannot read vectors "${path}": expected a .npy or .f32 file, got "${ext || 'no extension'}"`);
  const bytes = await readBytes(path);
  const matrix = ext === '.npy' ? parseNpy(bytes, path) : parseF32(bytes, path, dim);
  if (dim !== undefined && matrix.dim !== dim) fail(AREA, `wrong dimension in "${path}": expected ${dim} (${dimFrom}), got ${matrix.dim}`);
  checkFinite(matrix, path);
  return matrix;
}

function parseF32(bytes: Uint8Array, path: string, dim: number | undefined): VectorMatrix {
  if (dim === undefined) fail(AREA, `cannot read "${path}": expected --dim for a raw .f32 file, got none`);
  const rowBytes = dim * 4;
  if (bytes.length === 0 || bytes.length % rowBytes !== 0) fail(AREA, `cannot read "${path}": expected a non-zero multiple of ${rowBytes} bytes (${dim} float32 values per row), got ${bytes.length}`);
  const vectors = new Float32Array(bytes.length / 4);
  new Uint8Array(vectors.buffer).set(bytes);
  return { count: bytes.length / rowBytes, dim, vectors };
}

/** NumPy's format: "\x93NUMPY", version, header length, a Python dict literal, then the data. */
export function parseNpy(bytes: Uint8Array, path: string): VectorMatrix {
  const bad = (what: string): never => fail(AREA, `cannot read "${path}": expected ${what}`);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) bad(`a .npy file, got ${bytes.length === 0 ? 'an empty file' : 'bytes without the \\x93NUMPY magic'}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const major = bytes[6]!;
  const headerStart = major === 1 ? 10 : 12;
  if (major < 1 || major > 3 || bytes.length < headerStart) bad(`.npy format version 1 to 3, got ${major}`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerStart + headerLength > bytes.length) bad(`a complete .npy header, got a truncated file`);
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) bad(`a .npy header with descr, fortran_order and shape, got ${JSON.stringify(header.trim())}`);
  if (descr !== '<f4' && descr !== '<f8') bad(`float32 or float64 data ('<f4' or '<f8'), got '${descr}'`);
  if (fortran === 'True') bad('C-order data, got fortran_order True');
  // Dims as Python writes them (decimal, an `L` from Python 2): not what Number() also takes ('0x10', '1e3', '').
  const parts = shapeText!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape = parts.map((s) => (/^\d{1,15}L?$/.test(s) ? parseInt(s, 10) : NaN));
  if (shape.length !== 2 || shape.some((d) => !(d > 0))) bad(`a 2-D array of rows × dim, got shape (${shapeText})`);
  const [count, dim] = shape as [number, number];
  const width = descr === '<f4' ? 4 : 8;
  const dataStart = headerStart + headerLength;
  if (bytes.length - dataStart !== count * dim * width) bad(`${count * dim * width} data bytes for shape (${count}, ${dim}), got ${bytes.length - dataStart}`);
  const copy = bytes.slice(dataStart);
  const vectors = width === 4 ? new Float32Array(copy.buffer) : Float32Array.from(new Float64Array(copy.buffer));
  return { count, dim, vectors };
}

function checkFinite({ vectors, dim }: VectorMatrix, path: string): void {
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i]!)) fail(AREA, `non-finite value in "${path}": expected finite numbers, got ${vectors[i]} (row ${Math.floor(i / dim)}, column ${i % dim})`);
  }
}

/** Non-empty lines of a JSONL file, each parsed, with its 1-based line number. */
export async function readJsonl(path: string): Promise<{ line: number; value: unknown }[]> {
  const text = new TextDecoder().decode(await readBytes(path));
  const rows: { line: number; value: unknown }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      rows.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (cause) {
      fail(AREA, `cannot parse "${path}" line ${i + 1}: expected one JSON value per line, got ${JSON.stringify(raw.slice(0, 40))}`, cause);
    }
  });
  if (rows.length === 0) fail(AREA, `cannot read "${path}": expected at least one JSONL row, got none`);
  return rows;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkId(id: unknown, path: string, line: number): VectorId {
  if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) return id;
  return fail(AREA, `invalid id in "${path}" line ${line}: expected a number or a string, got ${JSON.stringify(id)}`);
}

/** Splits an object row into its id (row number when absent) and the rest as metadata. */
function idAndMetadata(row: Record<string, unknown>, skip: readonly string[], idField: string, index: number, path: string, line: number): [VectorId, Metadata | undefined] {
  const id = idField in row ? checkId(row[idField], path, line) : index;
  const rest = Object.entries(row).filter(([key]) => key !== idField && !skip.includes(key));
  return [id, rest.length > 0 ? (Object.fromEntries(rest) as Metadata) : undefined];
}

/** Ids (and optional metadata) for `count` rows: each line an id, or an object with `idField` and metadata. */
export async function readIdsFile(path: string, count: number, idField = 'id'): Promise<Pick<JsonlRows, 'ids' | 'metadata'>> {
  const rows = await readJsonl(path);
  if (rows.length !== count) fail(AREA, `wrong number of ids in "${path}": expected ${count} (one per vector), got ${rows.length}`);
  const ids: VectorId[] = [], metadata: (Metadata | undefined)[] = [];
  rows.forEach(({ line, value }, i) => {
    const [id, meta] = isObject(value) ? idAndMetadata(value, [], idField, i, path, line) : [checkId(value, path, line), undefined];
    ids.push(id);
    metadata.push(meta);
  });
  return { ids, metadata };
}

/** JSONL rows each holding `vectorField` (an array of numbers), an optional id and metadata. */
export async function readJsonlVectors(path: string, options: { idField?: string; vectorField?: string; dim?: number } = {}): Promise<JsonlRows> {
  const { idField = 'id', vectorField = 'vector' } = options;
  const rows = await readJsonl(path);
  let dim = options.dim;
  const ids: VectorId[] = [], metadata: (Metadata | undefined)[] = [];
  let vectors = new Float32Array(0);
  rows.forEach(({ line, value }, i) => {
    const where = `"${path}" line ${line}`;
    if (!isObject(value)) fail(AREA, `invalid row in ${where}: expected an object with a "${vectorField}" field, got ${JSON.stringify(value)?.slice(0, 40)}`);
    const vector = value[vectorField];
    if (!Array.isArray(vector) || vector.length === 0) fail(AREA, `invalid row in ${where}: expected "${vectorField}" to be an array of numbers, got ${JSON.stringify(vector)?.slice(0, 40)}`);
    dim ??= vector.length;
    if (vector.length !== dim) fail(AREA, `wrong dimension in ${where}: expected ${dim}, got ${vector.length}`);
    if (i === 0) vectors = new Float32Array(rows.length * dim);
    vector.forEach((x, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(AREA, `non-finite value in ${where}: expected finite numbers, got ${typeof x === 'number' ? x : JSON.stringify(x)} (column ${j})`);
      vectors[i * dim! + j] = x;
    });
    const [id, meta] = idAndMetadata(value, [vectorField], idField, i, path, line);
    ids.push(id);
    metadata.push(meta);
  });
  return { count: rows.length, dim: dim!, vectors, ids, metadata };
}

/** A `.npy` (version 1.0, '<f4', C order) holding `count × dim` rows, as numpy.save writes it. */
export function encodeNpy({ count, dim, vectors }: VectorMatrix): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${count}, ${dim}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + vectors.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.length * 4), 10 + header.length);
  return out;
}

/** JSONL rows to embed: each a string, or an object with `textField`, an optional id and metadata (the text kept in it). */
export async function readJsonlTexts(path: string, options: { idField?: string; textField?: string } = {}): Promise<Pick<JsonlRows, 'ids' | 'metadata'> & { texts: string[] }> {
  const { idField = 'id', textField = 'text' } = options;
  const texts: string[] = [], ids: VectorId[] = [], metadata: (Metadata | undefined)[] = [];
  (await readJsonl(path)).forEach(({ line, value }, i) => {
    const text = isObject(value) ? value[textField] : value;
    if (typeof text !== 'string' || text === '') fail(AREA, `invalid row in "${path}" line ${line}: expected a non-empty "${textField}" string, got ${JSON.stringify(text)?.slice(0, 40)}`);
    const [id, meta] = isObject(value) ? idAndMetadata(value, [], idField, i, path, line) : [i, { [textField]: text }];
    texts.push(text);
    ids.push(id);
    metadata.push(meta);
  });
  return { texts, ids, metadata };
}
