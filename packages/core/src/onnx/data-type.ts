// ONNX element types by name. Names follow onnxruntime's tensor types ('float32', 'int64', …),
// so a twinembed tensor converts to an onnxruntime tensor without a lookup.

export const DATA_TYPES = {
  float32: { code: 1, bytes: 4, array: Float32Array },
  uint8: { code: 2, bytes: 1, array: Uint8Array },
  int8: { code: 3, bytes: 1, array: Int8Array },
  uint16: { code: 4, bytes: 2, array: Uint16Array },
  int16: { code: 5, bytes: 2, array: Int16Array },
  int32: { code: 6, bytes: 4, array: Int32Array },
  int64: { code: 7, bytes: 8, array: BigInt64Array },
  string: { code: 8, bytes: 0, array: Array },
  bool: { code: 9, bytes: 1, array: Uint8Array },
  float16: { code: 10, bytes: 2, array: Uint16Array },
  float64: { code: 11, bytes: 8, array: Float64Array },
  uint32: { code: 12, bytes: 4, array: Uint32Array },
  uint64: { code: 13, bytes: 8, array: BigUint64Array },
  bfloat16: { code: 16, bytes: 2, array: Uint16Array },
} as const;

export type DataType = keyof typeof DATA_TYPES;

export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

const BY_CODE = new Map<number, DataType>(
  Object.entries(DATA_TYPES).map(([name, t]) => [t.code, name as DataType]),
);

export function dataTypeCode(type: DataType): number {
  return DATA_TYPES[type].code;
}

/** The name of an ONNX element type code, or `undefined` for types twinembed does not handle (complex, float8, int4). */
export function dataTypeFromCode(code: number): DataType | undefined {
  return BY_CODE.get(code);
}

/** Float types: the ones that hold trainable parameters and carry gradients. */
export function isFloatType(type: DataType | undefined): boolean {
  return type === 'float32' || type === 'float16' || type === 'float64' || type === 'bfloat16';
}

export function isDataType(name: string): name is DataType {
  return Object.hasOwn(DATA_TYPES, name);
}

/**
 * Little-endian bytes → a fresh typed array of `type`. Always copies: the bytes may be a view
 * into a larger buffer (Node's pooled Buffers) at an offset the typed array cannot start at.
 */
export function typedArrayFromBytes(type: Exclude<DataType, 'string'>, bytes: Uint8Array): TypedArray {
  const ArrayType = DATA_TYPES[type].array as unknown as new (buffer: ArrayBuffer) => TypedArray;
  return new ArrayType(new Uint8Array(bytes).buffer);
}
