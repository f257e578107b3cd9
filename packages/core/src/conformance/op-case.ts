// What an op conformance case is, and the seeded tensors cases feed: one definition that every
// runtime's conformance run shares (node cpu and webgpu, web wasm, later browsers).
import { fail } from '../errors.js';
import type { DataType } from '../onnx/data-type.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { OpType } from '../graph/op-schemas.js';
import type { Value } from '../graph/value.js';
import type { Tensor } from '../runtime/runtime.js';
import { elementCount } from '../onnx/tensor-proto.js';
import { seededRandom, shuffleInPlace } from '../random.js';

/**
 * How much float outputs may differ, by the kind of arithmetic behind them (the test maps each to a
 * tolerance per runtime). Integer and bool outputs are always compared exactly.
 * exact: no rounding at all (data movement, sign, max, floor, …). rounded: one correctly rounded IEEE
 * operation per element (+ − × ÷ √). math: library approximations (exp, log, tanh, erf, …).
 * trig: sin and cos, which GPUs may compute to an absolute 2^-11 only. sum: accumulations whose
 * order the runtime picks (reductions, MatMul, Conv, Softmax).
 */
export type Precision = 'exact' | 'rounded' | 'math' | 'trig' | 'sum';

export type Tensors = Readonly<Record<string, Tensor>>;

/** A case as written: its input names K type `build` and `reference`. */
export interface OpCaseSpec<K extends string> {
  readonly name: string;
  readonly ops: readonly OpType[];
  /** ai.onnx opsets to build and run at (default: DEFAULT_OPSET only). */
  readonly opsets?: readonly number[];
  readonly precision: Precision;
  /** Graph inputs: the runner declares one per entry, with its name, element type and dims. */
  readonly inputs: Readonly<Record<K, Tensor>>;
  /** Adds the op(s) under test and returns the graph outputs by name. */
  build(b: GraphBuilder, x: Readonly<Record<K, Value>>): Record<string, Value>;
  /** The expected outputs, computed in plain JS (float64, rounded once), where that is cheap. */
  reference?(x: Readonly<Record<K, Tensor>>): Record<string, Tensor>;
}

export type OpCase = OpCaseSpec<string>;

/** Erases the input names once a case is type-checked, so cases of any inputs share one list. */
export function opCase<K extends string>(spec: OpCaseSpec<K>): OpCase {
  return spec as unknown as OpCase;
}

/** A tensor from plain numbers (booleans as 0/1); int64 values become BigInts. */
export function tensor(type: DataType, dims: readonly number[], values: ArrayLike<number>): Tensor {
  const count = elementCount(dims);
  if (values.length !== count) fail('conformance', `${type}[${dims.join(',')}] tensor: expected ${count} values, got ${values.length}`);
  const list = Array.from(values);
  switch (type) {
    case 'float32': return { type, dims, data: Float32Array.from(list) };
    case 'int32': return { type, dims, data: Int32Array.from(list) };
    case 'int64': return { type, dims, data: BigInt64Array.from(list, (v) => BigInt(v)) };
    case 'bool': return { type, dims, data: Uint8Array.from(list, (v) => (v ? 1 : 0)) };
    default: return fail('conformance', `tensor element type: expected float32, int32, int64 or bool, got ${type}`);
  }
}

export const f32 = (dims: readonly number[], values: ArrayLike<number>): Tensor => tensor('float32', dims, values);
export const i64 = (dims: readonly number[], values: ArrayLike<number>): Tensor => tensor('int64', dims, values);

/** Uniform float32 values in [lo, hi). */
export function uniform(seed: number, dims: readonly number[], lo: number, hi: number): Tensor {
  const next = seededRandom(seed);
  const count = elementCount(dims);
  return f32(dims, Array.from({ length: count }, () => lo + (hi - lo) * next()));
}

/** Pairwise distinct float32 values in [lo, hi], at least (hi − lo)/count apart: no ties for max, sort or argmax. */
export function distinct(seed: number, dims: readonly number[], lo: number, hi: number): Tensor {
  const next = seededRandom(seed);
  const count = elementCount(dims);
  const ranks = shuffleInPlace(Array.from({ length: count }, (_, i) => i), next);
  return f32(dims, ranks.map((r) => lo + ((hi - lo) * (r + 0.5)) / count));
}

/** Uniform integers in [lo, hi]. */
export function integers(seed: number, type: 'int32' | 'int64', dims: readonly number[], lo: number, hi: number): Tensor {
  const next = seededRandom(seed);
  const count = elementCount(dims);
  return tensor(type, dims, Array.from({ length: count }, () => lo + Math.floor(next() * (hi - lo + 1))));
}
