// The one place that touches the protobuf library: ONNX messages come from onnx-proto
// (static protobufjs code generated from onnx.proto), never from hand-written encoding.
import onnxProto from 'onnx-proto';
import type { onnx as proto } from 'onnx-proto';
import { fail } from '../errors.js';

export const onnx = onnxProto.onnx;
export type ModelProto = proto.IModelProto;
export type GraphProto = proto.IGraphProto;
export type NodeProto = proto.INodeProto;
export type TensorProto = proto.ITensorProto;
export type AttributeProto = proto.IAttributeProto;
export type ValueInfoProto = proto.IValueInfoProto;
export type TypeProto = proto.ITypeProto;
export type OperatorSetIdProto = proto.IOperatorSetIdProto;

/** protobufjs returns int64 fields as Long objects when the `long` package is present, else as numbers. */
export type Int64Like = number | { toNumber(): number } | null | undefined;

export function toNumber(value: Int64Like): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Decodes ONNX model bytes; garbage and truncated input fail with a TwinembedError. */
export function decodeModel(bytes: Uint8Array, source = 'model'): ModelProto {
  if (bytes.byteLength === 0) fail('onnx', `cannot read ${source}: expected an ONNX model, got an empty file`);
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    fail('onnx', `cannot read ${source}: expected an ONNX ModelProto, got bytes that do not parse (${reason})`, cause);
  }
  if (!model.graph || (model.opsetImport?.length ?? 0) === 0) {
    fail('onnx', `cannot read ${source}: expected an ONNX ModelProto with a graph and an opset, got ${model.graph ? 'no opset_import' : 'no graph'}`);
  }
  return model;
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** The ai.onnx opset version a model imports (the default domain is spelled '' or 'ai.onnx'). */
export function onnxOpset(model: ModelProto): number {
  const entry = model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!entry) fail('onnx', 'model imports no ai.onnx opset: expected an opset_import entry for the default domain');
  return toNumber(entry.version);
}
