// safetensors: the format of Hugging Face checkpoints, of the PyTorch reference fixtures and of our
// training checkpoints (8-byte little-endian header length, a JSON header, then raw little-endian data).
// Files are written as the Python library writes them, so re-encoding one of its files gives its bytes.
import { fail } from '../errors.js';
import { DATA_TYPES, typedArrayFromBytes, type DataType } from '../onnx/data-type.js';
import { elementCount } from '../onnx/tensor-proto.js';
import type { Tensor } from '../runtime/runtime.js';

const DTYPES: Record<string, DataType> = {
  F32: 'float32', F64: 'float64', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32',
  I16: 'int16', I8: 'int8', U8: 'uint8', U16: 'uint16', U32: 'uint32', U64: 'uint64', BOOL: 'bool',
};
const DTYPE_NAMES = new Map(Object.entries(DTYPES).map(([name, type]) => [type, name]));
/** The Rust library's `Dtype` order (increasing alignment): it writes tensors in the reverse of this order, then by name. */
const ALIGNMENT_ORDER = ['BOOL', 'U8', 'I8', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64'];
const METADATA = '__metadata__';
/** safetensors' own ceiling on the JSON header (MAX_HEADER_SIZE in the Rust crate). */
const MAX_HEADER_BYTES = 100_000_000;

interface HeaderEntry { dtype: string; shape: number[]; data_offsets: [number, number] }

export interface SafetensorsContents {
  readonly tensors: Map<string, Tensor>;
  /** The `__metadata__` string map, when the file has one. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export function readSafetensors(bytes: Uint8Array, source = 'safetensors'): Map<string, Tensor> {
  return decodeSafetensors(bytes, source).tensors;
}

/** Tensors and `__metadata__`; fails on a header that does not describe exactly the bytes that follow it. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContents {
  if (bytes.length < 8) fail('safetensors', `${source}: expected at least 8 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) fail('safetensors', `${source}: header of ${headerLength} bytes does not fit in a ${bytes.length}-byte file`);
  if (headerLength > MAX_HEADER_BYTES) fail('safetensors', `${source}: expected a header of at most ${MAX_HEADER_BYTES} bytes (the Python library's limit), got ${headerLength}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    return fail('safetensors', `${source}: the header is not valid JSON`, cause);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('safetensors', `${source}: expected a JSON object as header, got ${JSON.stringify(header)?.slice(0, 60)}`);
  const data = bytes.subarray(8 + headerLength);
  const entries = Object.entries(header).filter(([name]) => name !== METADATA).map(([name, entry]) => checkEntry(name, entry, data.length, source));
  checkTiling(entries, data.length, source);
  const tensors = new Map(entries.map((e) => [e.name, { type: e.type, dims: e.shape, data: typedArrayFromBytes(e.type, data.subarray(e.begin, e.end)) } as Tensor]));
  return METADATA in header ? { tensors, metadata: metadataOf(header[METADATA], source) } : { tensors };
}

interface CheckedEntry { name: string; type: Exclude<DataType, 'string'>; shape: number[]; begin: number; end: number }

/** One header entry: a known dtype, a shape of safe integers, and offsets spanning exactly its bytes. */
function checkEntry(name: string, value: unknown, length: number, source: string): CheckedEntry {
  const entry = (typeof value === 'object' && value !== null ? value : {}) as Partial<HeaderEntry>;
  const type = typeof entry.dtype === 'string' && Object.hasOwn(DTYPES, entry.dtype) ? DTYPES[entry.dtype]! : undefined;
  if (!type) fail('safetensors', `${source}, tensor "${name}": dtype ${typeof entry.dtype === 'string' ? entry.dtype : JSON.stringify(entry.dtype)} is not supported (expected one of ${Object.keys(DTYPES).join(', ')})`);
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail('safetensors', `${source}, tensor "${name}": expected a shape of integers ≥ 0, got ${JSON.stringify(shape)}`);
  const offsets = entry.data_offsets;
  const expected = elementCount(shape) * DATA_TYPES[type].bytes;
  const [begin, end] = Array.isArray(offsets) && offsets.length === 2 ? offsets : [NaN, NaN];
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end - begin !== expected) {
    const got = Array.isArray(offsets) && offsets.length === 2 ? `offsets [${offsets[0]}, ${offsets[1]})` : `data_offsets ${JSON.stringify(offsets)}`;
    fail('safetensors', `${source}, tensor "${name}": expected ${expected} bytes within the data section, got ${got} of ${length}`);
  }
  return { name, type: type as Exclude<DataType, 'string'>, shape: [...shape], begin, end };
}

/** As the Python library requires: the tensors cover the data section exactly, without gaps or overlaps. */
function checkTiling(entries: readonly CheckedEntry[], length: number, source: string): void {
  let at = 0;
  for (const e of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (e.begin !== at) fail('safetensors', `${source}, tensor "${e.name}": expected its data to start at byte ${at} of the data section (no gaps or overlaps), got ${e.begin}`);
    at = e.end;
  }
  if (at !== length) fail('safetensors', `${source}: expected ${at} bytes of tensor data after the header, got ${length} (truncated or corrupt file)`);
}

function metadataOf(value: unknown, source: string): Record<string, string> {
  const ok = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  if (!ok) fail('safetensors', `${source}: expected ${METADATA} to map strings to strings, got ${JSON.stringify(value)}`);
  return { ...(value as Record<string, string>) };
}

/**
 * A safetensors file, laid out as the Python library lays it out: tensors by decreasing element
 * alignment then by name, compact JSON header padded with spaces to a multiple of 8 bytes.
 * Assumes a little-endian host, as the reader does (every JS engine in use).
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const named = (tensors instanceof Map ? [...tensors] : Object.entries(tensors)).map(([name, tensor]) => ({ name, tensor, dtype: dtypeName(name, tensor) }));
  named.sort((a, b) => ALIGNMENT_ORDER.indexOf(b.dtype) - ALIGNMENT_ORDER.indexOf(a.dtype) || compareCodePoints(a.name, b.name));
  const fields = metadata === undefined ? [] : [`${JSON.stringify(METADATA)}:${jsonStringMap(metadata)}`];
  const blocks: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor, dtype } of named) {
    const block = tensorBytes(name, tensor);
    fields.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype, shape: tensor.dims, data_offsets: [offset, offset + block.length] })}`);
    blocks.push(block);
    offset += block.length;
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset).fill(0x20, 8 + json.length, 8 + headerLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  let at = 8 + headerLength;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}

function dtypeName(name: string, tensor: Tensor): string {
  if (name === METADATA) fail('safetensors', `encode: "${METADATA}" is the metadata key, not a tensor name`);
  const dtype = DTYPE_NAMES.get(tensor.type);
  if (!dtype) fail('safetensors', `encode, tensor "${name}": expected one of the types ${[...DTYPE_NAMES.keys()].join(', ')}, got ${tensor.type}`);
  return dtype;
}

function tensorBytes(name: string, tensor: Tensor): Uint8Array {
  const { data } = tensor;
  const expected = elementCount(tensor.dims) * DATA_TYPES[tensor.type].bytes;
  if (Array.isArray(data) || data.byteLength !== expected) {
    fail('safetensors', `encode, tensor "${name}": expected ${expected} bytes for ${tensor.type} [${tensor.dims.join(', ')}], got ${Array.isArray(data) ? 'strings' : data.byteLength}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function jsonStringMap(map: Readonly<Record<string, string>>): string {
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') fail('safetensors', `encode: expected ${METADATA} values to be strings, got ${typeof value} for "${key}"`);
  }
  return JSON.stringify(map);
}

/** Rust's string order (UTF-8 bytes, i.e. code points), which differs from `<` on UTF-16 surrogates. */
function compareCodePoints(a: string, b: string): number {
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
