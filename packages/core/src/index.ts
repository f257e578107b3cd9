// @twinembed/core: runtime-agnostic. ONNX graph building and (de)serialization, and the Runtime seam.
export { TwinembedError, fail } from './errors.js';
export { DATA_TYPES, dataTypeCode, dataTypeFromCode, isFloatType, type DataType, type TypedArray } from './onnx/data-type.js';
export { decodeModel, encodeModel, onnx, onnxOpset, type ModelProto, type GraphProto, type NodeProto, type TensorProto, type AttributeProto, type ValueInfoProto } from './onnx/proto.js';
export { makeTensorProto, tensorValues, tensorDims, tensorDataType, elementCount, type TensorValues } from './onnx/tensor-proto.js';
export { resolveExternalData, hasExternalData, externalDataRefs, checkExternalLocation, type ExternalDataRef, type ExternalDataReader } from './onnx/external-data.js';
export { modelInfo, type ModelInfo, type ValueSignature } from './onnx/model-info.js';
export { GraphBuilder, DEFAULT_OPSET, type GraphBuilderOptions, type NodeOptions } from './graph/graph-builder.js';
export { Value, type Node, type Dim, type ValueInput } from './graph/value.js';
export { attr, readAttribute, type TensorLiteral, type TypedAttr } from './graph/attributes.js';
export { OP_SCHEMAS, opSchema, type OpSchema, type OpType, type AttrType } from './graph/op-schemas.js';
export type { Ops, AttrsOf } from './graph/ops.js';
export { importModel } from './graph/import-model.js';
export { dumpGraph } from './graph/dump.js';
export { linear, layerNorm } from './graph/layers.js';
export { readSafetensors } from './io/safetensors.js';
export { createTensor, type Tensor, type Runtime, type Session, type SessionOptions, type RunOptions, type ModelSource, type ProviderFailure } from './runtime/runtime.js';
export { checkProviders, firstAvailable } from './runtime/fallback.js';
export * from './vector-index/index.js';
