// safetensors reading: the format of Hugging Face checkpoints and of the PyTorch reference
// fixtures (8-byte little-endian header length, a JSON header, then raw little-endian data).
import { fail } from '../errors.js';
import { DATA_TYPES, typedArrayFromBytes, type DataType } from '../onnx/data-type.js';
import { elementCount } from '../onnx/tensor-proto.js';
import type { Tensor } from '../runtime/runtime.js';

const DTYPES: Record<string, DataType> = {
  F32: 'float32', F64: 'float64', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32',
  I16: 'int16', I8: 'int8', U8: 'uint8', U16: 'uint16', U32: 'uint32', U64: 'uint64', BOOL: 'bool',
};

interface HeaderEntry { dtype: string; shape: number[]; data_offsets: [number, number] }

export function readSafetensors(bytes: Uint8Array, source = 'safetensors'): Map<string, Tensor> {
  if (bytes.length < 8) fail('safetensors', `${source}: expected at least 8 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) fail('safetensors', `${source}: header of ${headerLength} bytes does not fit in a ${bytes.length}-byte file`);
  let header: Record<string, HeaderEntry>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    return fail('safetensors', `${source}: the header is not valid JSON`, cause);
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    tensors.set(name, readEntry(name, entry, data, source));
  }
  return tensors;
}

function readEntry(name: string, entry: HeaderEntry, data: Uint8Array, source: string): Tensor {
  const type = DTYPES[entry.dtype];
  if (!type) fail('safetensors', `${source}, tensor "${name}": dtype ${entry.dtype} is not supported (expected one of ${Object.keys(DTYPES).join(', ')})`);
  const [begin, end] = entry.data_offsets;
  const expected = elementCount(entry.shape) * DATA_TYPES[type].bytes;
  if (end - begin !== expected || begin < 0 || end > data.length) {
    fail('safetensors', `${source}, tensor "${name}": expected ${expected} bytes within the data section, got offsets [${begin}, ${end}) of ${data.length}`);
  }
  return { type, dims: [...entry.shape], data: typedArrayFromBytes(type as Exclude<DataType, 'string'>, data.subarray(begin, end)) };
}
