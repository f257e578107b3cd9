// TensorProto ⇄ typed arrays. Written tensors always use raw_data (little-endian bytes),
// which every runtime reads fastest; read tensors may use any of the typed fields.
import { fail } from '../errors.js';
import { DATA_TYPES, dataTypeCode, dataTypeFromCode, typedArrayFromBytes, type DataType, type TypedArray } from './data-type.js';
import { toNumber, type TensorProto } from './proto.js';

export type TensorValues = TypedArray | string[];

export function tensorDims(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map(toNumber);
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

export function tensorDataType(tensor: TensorProto): DataType {
  const type = dataTypeFromCode(tensor.dataType ?? 0);
  if (!type) fail('onnx', `tensor "${tensor.name ?? ''}" has element type code ${tensor.dataType}: expected one of ${Object.keys(DATA_TYPES).join(', ')}`);
  return type;
}

/** Builds a TensorProto holding `data` as raw little-endian bytes. */
export function makeTensorProto(name: string, type: DataType, dims: readonly number[], data: TensorValues): TensorProto {
  const count = elementCount(dims);
  if (data.length !== count) fail('onnx', `tensor "${name}": expected ${count} elements for dims [${dims.join(', ')}], got ${data.length}`);
  const proto: TensorProto = { name, dataType: dataTypeCode(type), dims: [...dims] };
  if (type === 'string') {
    const encoder = new TextEncoder();
    proto.stringData = (data as string[]).map((s) => encoder.encode(s));
  } else {
    const array = data as TypedArray;
    proto.rawData = new Uint8Array(array.buffer, array.byteOffset, array.byteLength).slice();
  }
  return proto;
}

/**
 * A file's tensor dims as a count of elements: each dim a non-negative safe integer and their
 * product too, so nothing is sized from a count that the file's own bytes do not back.
 */
export function checkedElementCount(tensor: TensorProto): number {
  const dims = tensorDims(tensor);
  const count = elementCount(dims);
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0) || !Number.isSafeInteger(count)) {
    fail('onnx', `tensor "${tensor.name ?? ''}": expected dims of integers ≥ 0 with a product below 2^53, got [${dims.join(', ')}]`);
  }
  return count;
}

/** Reads a TensorProto's values into a fresh typed array (or string[]), whichever field holds them. */
export function tensorValues(tensor: TensorProto): TensorValues {
  const type = tensorDataType(tensor);
  if (tensor.dataLocation === 1) fail('onnx', `tensor "${tensor.name}" keeps its data in an external file: load the model with its external data first`);
  const count = checkedElementCount(tensor);
  if (type === 'string') {
    const strings = tensor.stringData ?? [];
    if (strings.length !== count) fail('onnx', `tensor "${tensor.name}": expected ${count} strings for dims [${tensorDims(tensor).join(', ')}], got ${strings.length}`);
    return strings.map((b) => new TextDecoder().decode(b));
  }
  const { bytes } = DATA_TYPES[type];
  if (tensor.rawData && tensor.rawData.length > 0) {
    if (tensor.rawData.length !== count * bytes) {
      fail('onnx', `tensor "${tensor.name}": expected ${count * bytes} bytes of raw data, got ${tensor.rawData.length}`);
    }
    return typedArrayFromBytes(type, tensor.rawData);
  }
  return typedFieldValues(tensor, type, count);
}

function typedFieldValues(tensor: TensorProto, type: DataType, count: number): TypedArray {
  const source = typedField(tensor, type);
  if (source.length !== count) fail('onnx', `tensor "${tensor.name}": expected ${count} values, got ${source.length}`);
  const out = new DATA_TYPES[type].array(count) as TypedArray; // sized only once the file's values back it
  if (type === 'float16' || type === 'bfloat16' || out instanceof BigInt64Array || out instanceof BigUint64Array) {
    // float16/bfloat16 bit patterns travel in int32_data; 64-bit integers as Long/number.
    for (let i = 0; i < count; i++) {
      const v = source[i] as number | { toString(): string };
      (out as unknown as (number | bigint)[])[i] = out instanceof BigInt64Array || out instanceof BigUint64Array ? BigInt(v.toString()) : (v as number);
    }
    return out;
  }
  (out as Float32Array).set(source as number[]);
  return out;
}

function typedField(tensor: TensorProto, type: DataType): ArrayLike<unknown> {
  switch (type) {
    case 'float32': return tensor.floatData ?? [];
    case 'float64': return tensor.doubleData ?? [];
    case 'int64': return tensor.int64Data ?? [];
    case 'uint32': case 'uint64': return tensor.uint64Data ?? [];
    default: return tensor.int32Data ?? [];
  }
}
