// Typed attributes: the type comes from the op schema (or an explicit `attr.*` tag), never
// from the JS value, because 1 and 1.0 are the same number in JavaScript.
import { fail } from '../errors.js';
import { dataTypeCode, dataTypeFromCode, isDataType, type DataType } from '../onnx/data-type.js';
import { onnx, toNumber, type AttributeProto } from '../onnx/proto.js';
import { makeTensorProto, tensorDataType, tensorDims, tensorValues, type TensorValues } from '../onnx/tensor-proto.js';
import type { AttrType } from './op-schemas.js';

/** A tensor written inline: a Constant's value, ConstantOfShape's fill value. */
export interface TensorLiteral { type: DataType; dims: readonly number[]; data: TensorValues }

/** An attribute value whose type is stated, for ops without a schema (custom domains, imported ops). */
export interface TypedAttr { readonly attrType: AttrType; readonly value: unknown }

export const attr = {
  int: (value: number): TypedAttr => ({ attrType: 'int', value }),
  float: (value: number): TypedAttr => ({ attrType: 'float', value }),
  string: (value: string): TypedAttr => ({ attrType: 'string', value }),
  ints: (value: readonly number[]): TypedAttr => ({ attrType: 'ints', value }),
  floats: (value: readonly number[]): TypedAttr => ({ attrType: 'floats', value }),
  strings: (value: readonly string[]): TypedAttr => ({ attrType: 'strings', value }),
  tensor: (value: TensorLiteral): TypedAttr => ({ attrType: 'tensor', value }),
  dtype: (value: DataType): TypedAttr => ({ attrType: 'dtype', value }),
};

export function isTypedAttr(value: unknown): value is TypedAttr {
  return typeof value === 'object' && value !== null && 'attrType' in value && 'value' in value;
}

const T = onnx.AttributeProto.AttributeType;
const encoder = new TextEncoder();

function checkInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail('graph', `attribute "${name}": expected an integer, got ${JSON.stringify(v)}`);
  return v;
}

function checkNumbers(name: string, v: unknown, integer: boolean): number[] {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) fail('graph', `attribute "${name}": expected an array of numbers, got ${JSON.stringify(v)}`);
  const list = Array.from(v as ArrayLike<number>);
  if (list.some((x) => typeof x !== 'number' || (integer && !Number.isInteger(x)))) {
    fail('graph', `attribute "${name}": expected ${integer ? 'integers' : 'numbers'}, got [${list.join(', ')}]`);
  }
  return list;
}

/** Encodes one attribute with the type its op declares. */
export function makeAttribute(name: string, type: AttrType, value: unknown): AttributeProto {
  switch (type) {
    case 'int': return { name, type: T.INT, i: checkInt(name, value) };
    case 'float':
      if (typeof value !== 'number') fail('graph', `attribute "${name}": expected a number, got ${JSON.stringify(value)}`);
      return { name, type: T.FLOAT, f: value };
    case 'string':
      if (typeof value !== 'string') fail('graph', `attribute "${name}": expected a string, got ${JSON.stringify(value)}`);
      return { name, type: T.STRING, s: encoder.encode(value) };
    case 'ints': return { name, type: T.INTS, ints: checkNumbers(name, value, true) };
    case 'floats': return { name, type: T.FLOATS, floats: checkNumbers(name, value, false) };
    case 'strings': return { name, type: T.STRINGS, strings: (value as string[]).map((s) => encoder.encode(s)) };
    case 'dtype':
      if (typeof value !== 'string' || !isDataType(value)) fail('graph', `attribute "${name}": expected an element type name such as "float32", got ${JSON.stringify(value)}`);
      return { name, type: T.INT, i: dataTypeCode(value) };
    case 'tensor': {
      const literal = value as TensorLiteral;
      return { name, type: T.TENSOR, t: makeTensorProto('', literal.type, literal.dims, literal.data) };
    }
  }
}

/** Decodes an attribute to a plain JS value (tensors to literals); graphs stay protos. */
export function readAttribute(proto: AttributeProto): unknown {
  const decoder = new TextDecoder();
  switch (proto.type) {
    case T.INT: return toNumber(proto.i);
    case T.FLOAT: return proto.f ?? 0;
    case T.STRING: return decoder.decode(proto.s ?? new Uint8Array());
    case T.INTS: return (proto.ints ?? []).map(toNumber);
    case T.FLOATS: return [...(proto.floats ?? [])];
    case T.STRINGS: return (proto.strings ?? []).map((s) => decoder.decode(s));
    case T.TENSOR: return tensorLiteral(proto.t!);
    case T.GRAPH: return proto.g;
    case T.GRAPHS: return proto.graphs;
    default: return undefined;
  }
}

export function tensorLiteral(tensor: NonNullable<AttributeProto['t']>): TensorLiteral {
  return { type: tensorDataType(tensor), dims: tensorDims(tensor), data: tensorValues(tensor) };
}

/** A short text form for dumps: `axis=1`, `perm=[0,2,1]`, `value=<float32[2]>`, `to=float32` for Cast. */
export function formatAttribute(proto: AttributeProto, opType: string): string {
  const value = readAttribute(proto);
  const name = proto.name ?? '';
  if (proto.type === T.TENSOR) {
    const literal = value as TensorLiteral;
    const count = literal.data.length;
    const shown = count <= 4 ? Array.from(literal.data as ArrayLike<unknown>, String).join(',') : `${count} values`;
    return `${name}=${literal.type}[${literal.dims.join(',')}](${shown})`;
  }
  if (proto.type === T.GRAPH || proto.type === T.GRAPHS) return `${name}=<graph>`;
  if (opType === 'Cast' && name === 'to') return `${name}=${dataTypeFromCode(value as number) ?? value}`;
  if (Array.isArray(value)) return `${name}=[${value.join(',')}]`;
  return typeof value === 'string' ? `${name}="${value}"` : `${name}=${value}`;
}
