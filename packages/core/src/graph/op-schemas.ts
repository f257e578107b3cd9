// The ai.onnx ops twinembed emits, with what the builder needs to emit them at any opset:
// attribute types (JS numbers cannot tell INT from FLOAT), the first opset with the form we
// emit, attributes that later opsets moved to inputs, and output element types.
// Versions follow the ONNX operator changelog (docs/Changelog.md).
import type { DataType } from '../onnx/data-type.js';

/** 'dtype' is an INT attribute holding an element type code; callers pass a type name ('float32'). */
export type AttrType = 'int' | 'float' | 'string' | 'ints' | 'floats' | 'strings' | 'tensor' | 'dtype';

/** An attribute that only exists from opset `since` on. */
export interface VersionedAttr { type: AttrType; since: number }

/** An attribute that became input `input` at opset `at`; `type` of the constant input fed then. */
export interface MovedAttr {
  input: number;
  at: number;
  /** 'int64' → int64 1-D tensor; 'input0' → scalar of the first input's element type. */
  type: 'int64' | 'input0';
  /** The moved value as a 1-element 1-D tensor rather than a scalar (TopK's k). */
  asVector?: boolean;
  /** Before `at`, only this attribute type exists; from `since` on, only the input form exists. */
  since?: number;
}

export interface OpSchema {
  /** First opset at which the op has the signature and broadcasting the builder emits. */
  since: number;
  attrs?: Readonly<Record<string, AttrType | VersionedAttr>>;
  moved?: Readonly<Record<string, MovedAttr>>;
  /** Fixed output count (default 1); 'many' for ops whose count the caller states. */
  outputs?: number | 'many';
  /** Element type of output i given the inputs' types and attributes (default: the first input's). */
  outType?: (inputs: (DataType | undefined)[], attrs: Readonly<Record<string, unknown>>, i: number) => DataType | undefined;
  /** Semantics that differ across opsets: returns a reason when the call cannot be emitted at `opset`. */
  check?: (opset: number, attrs: Readonly<Record<string, unknown>>) => string | undefined;
  /** Attributes emitted when the caller leaves them out, where the spec's meaning of "left out" changed across opsets. */
  defaults?: (opset: number, attrs: Readonly<Record<string, unknown>>, outputs: number) => Readonly<Record<string, unknown>> | undefined;
}

function literalType(value: unknown): DataType | undefined {
  return (value as { type?: DataType } | undefined)?.type;
}

// Shared entries are `as const` (not `: OpSchema`) so the typed `op.*` helpers keep their attribute names.
const unary = { since: 6 } as const;
const binary = { since: 7 } as const;
const compare = { since: 7, outType: (): DataType => 'bool' } as const;
const toInt64 = (): DataType => 'int64';
const reduceAttrs = { keepdims: 'int', noop_with_empty_axes: { type: 'int', since: 18 } } as const;
const reduce18 = { since: 1, attrs: reduceAttrs, moved: { axes: { input: 1, at: 18, type: 'int64' } } } as const;
const softmaxLike = {
  since: 1,
  attrs: { axis: 'int' },
  // The default axis was 1 (flatten to 2-D there) before opset 13 and -1 from 13 on: omitted means -1 at every opset.
  defaults: (opset: number) => (opset < 13 ? { axis: -1 } : undefined),
  // Before opset 13 Softmax flattened the input to 2-D at `axis`: equal to the modern op only on the last axis.
  check: (opset: number, attrs: Readonly<Record<string, unknown>>) =>
    opset < 13 && attrs.axis !== undefined && attrs.axis !== -1 ? 'before opset 13 only axis -1 has per-axis semantics' : undefined,
} as const;
const pool = { auto_pad: 'string', kernel_shape: 'ints', pads: 'ints', strides: 'ints', ceil_mode: { type: 'int', since: 10 } } as const;
const convAttrs = { auto_pad: 'string', dilations: 'ints', group: 'int', kernel_shape: 'ints', pads: 'ints', strides: 'ints' } as const;

export const OP_SCHEMAS = {
  // elementwise, one input
  Abs: unary, Neg: unary, Exp: unary, Log: unary, Sqrt: unary, Reciprocal: unary, Floor: unary, Ceil: unary,
  Relu: unary, Sigmoid: unary, Tanh: unary, Softplus: { since: 1 }, Erf: { since: 9 }, Sign: { since: 9 },
  Sin: { since: 7 }, Cos: { since: 7 }, Round: { since: 11 }, Identity: { since: 1 },
  IsNaN: { since: 9, outType: () => 'bool' }, Not: { since: 1, outType: () => 'bool' },
  LeakyRelu: { since: 6, attrs: { alpha: 'float' } }, Elu: { since: 6, attrs: { alpha: 'float' } },
  Clip: { since: 6, moved: { min: { input: 1, at: 11, type: 'input0' }, max: { input: 2, at: 11, type: 'input0' } } },
  Cast: { since: 6, attrs: { to: 'dtype' }, outType: (_, attrs) => attrs.to as DataType },
  CastLike: { since: 15, outType: (inputs) => inputs[1] },
  // elementwise, broadcasting
  Add: binary, Sub: binary, Mul: binary, Div: binary, Pow: binary,
  Max: { since: 8 }, Min: { since: 8 }, Sum: { since: 8 }, Mean: { since: 8 },
  Mod: { since: 10, attrs: { fmod: 'int' } },
  Equal: { since: 11, outType: () => 'bool' }, Less: { since: 9, outType: () => 'bool' }, Greater: { since: 9, outType: () => 'bool' },
  LessOrEqual: { since: 12, outType: () => 'bool' }, GreaterOrEqual: { since: 12, outType: () => 'bool' },
  And: compare, Or: compare,
  Where: { since: 9, outType: (inputs) => inputs[1] },
  // linear algebra
  MatMul: { since: 9 },
  Gemm: { since: 11, attrs: { alpha: 'float', beta: 'float', transA: 'int', transB: 'int' } },
  Einsum: { since: 12, attrs: { equation: 'string' } },
  // reductions
  ReduceSum: { since: 1, attrs: { keepdims: 'int', noop_with_empty_axes: { type: 'int', since: 13 } }, moved: { axes: { input: 1, at: 13, type: 'int64' } } },
  ReduceMean: reduce18, ReduceMax: reduce18, ReduceMin: reduce18, ReduceProd: reduce18,
  ReduceL1: reduce18, ReduceL2: reduce18, ReduceSumSquare: reduce18, ReduceLogSumExp: reduce18,
  ArgMax: { since: 1, attrs: { axis: 'int', keepdims: 'int', select_last_index: { type: 'int', since: 12 } }, outType: toInt64 },
  ArgMin: { since: 1, attrs: { axis: 'int', keepdims: 'int', select_last_index: { type: 'int', since: 12 } }, outType: toInt64 },
  CumSum: { since: 11, attrs: { exclusive: 'int', reverse: 'int' } },
  TopK: {
    since: 1, outputs: 2, outType: (inputs, _, i) => (i === 0 ? inputs[0] : 'int64'),
    attrs: { axis: 'int', largest: { type: 'int', since: 11 }, sorted: { type: 'int', since: 11 } },
    moved: { k: { input: 1, at: 10, type: 'int64', asVector: true } },
  },
  // shapes and indexing
  Reshape: { since: 5, attrs: { allowzero: { type: 'int', since: 14 } } },
  Transpose: { since: 1, attrs: { perm: 'ints' } },
  Flatten: { since: 1, attrs: { axis: 'int' } },
  Squeeze: { since: 1, moved: { axes: { input: 1, at: 13, type: 'int64' } } },
  Unsqueeze: { since: 1, moved: { axes: { input: 1, at: 13, type: 'int64' } } },
  Concat: { since: 4, attrs: { axis: 'int' } },
  Split: {
    since: 2, outputs: 'many',
    attrs: { axis: 'int', num_outputs: { type: 'int', since: 18 } },
    moved: { split: { input: 1, at: 13, type: 'int64' } },
    // From opset 18 an equal split must state its part count: the caller's output count is that number.
    defaults: (opset, attrs, outputs) => (opset >= 18 && attrs.split === undefined && attrs.num_outputs === undefined ? { num_outputs: outputs } : undefined),
  },
  Slice: {
    since: 1,
    moved: {
      starts: { input: 1, at: 10, type: 'int64' }, ends: { input: 2, at: 10, type: 'int64' },
      axes: { input: 3, at: 10, type: 'int64' }, steps: { input: 4, at: 10, type: 'int64', since: 10 },
    },
  },
  Gather: { since: 1, attrs: { axis: 'int' } },
  GatherElements: { since: 11, attrs: { axis: 'int' } },
  GatherND: { since: 11, attrs: { batch_dims: { type: 'int', since: 12 } } },
  ScatterElements: { since: 11, attrs: { axis: 'int', reduction: { type: 'string', since: 16 } } },
  ScatterND: { since: 11, attrs: { reduction: { type: 'string', since: 16 } } },
  Expand: { since: 8 },
  Tile: { since: 6 },
  Shape: { since: 1, attrs: { start: { type: 'int', since: 15 }, end: { type: 'int', since: 15 } }, outType: toInt64 },
  Size: { since: 1, outType: toInt64 },
  ConstantOfShape: { since: 9, attrs: { value: 'tensor' }, outType: (_, attrs) => literalType(attrs.value) ?? 'float32' },
  Range: { since: 11 },
  NonZero: { since: 9, outType: toInt64 },
  OneHot: { since: 11, attrs: { axis: 'int' }, outType: (inputs) => inputs[2] },
  Trilu: { since: 14, attrs: { upper: 'int' } },
  Constant: { since: 1, attrs: { value: 'tensor' }, outType: (_, attrs) => literalType(attrs.value) },
  // neural-network layers
  Softmax: softmaxLike, LogSoftmax: softmaxLike,
  LayerNormalization: {
    since: 17, outputs: 'many', attrs: { axis: 'int', epsilon: 'float', stash_type: 'dtype' },
    outType: (inputs, _, i) => (i === 0 ? inputs[0] : 'float32'),
  },
  BatchNormalization: { since: 15, outputs: 'many', attrs: { epsilon: 'float', momentum: 'float', training_mode: 'int' } },
  Conv: { since: 11, attrs: convAttrs },
  ConvTranspose: { since: 11, attrs: { ...convAttrs, output_padding: 'ints', output_shape: 'ints' } },
  MaxPool: {
    since: 8, outputs: 'many', outType: (inputs, _, i) => (i === 0 ? inputs[0] : 'int64'),
    attrs: { ...pool, dilations: { type: 'ints', since: 10 }, storage_order: 'int' },
  },
  AveragePool: { since: 7, attrs: { ...pool, count_include_pad: 'int' } },
  GlobalAveragePool: { since: 1 }, GlobalMaxPool: { since: 1 },
} as const satisfies Record<string, OpSchema>;

export type OpType = keyof typeof OP_SCHEMAS;

export function opSchema(opType: string): OpSchema | undefined {
  return Object.hasOwn(OP_SCHEMAS, opType) ? (OP_SCHEMAS as Record<string, OpSchema>)[opType] : undefined;
}
