// Reusable subgraph functions: a layer is a function of a builder. Parameters are created
// under the caller's scope with PyTorch's names and layouts, so checkpoints map one to one.
import type { GraphBuilder } from './graph-builder.js';
import type { Value } from './value.js';

export interface LinearOptions {
  /** PyTorch layout [outFeatures, inFeatures]. */
  weight: Float32Array;
  /** [outFeatures], or omitted for no bias. */
  bias?: Float32Array;
  inFeatures: number;
  outFeatures: number;
}

/** y = x · Wᵀ + b over the last axis of x (any rank); parameters `weight` and `bias` in the current scope. */
export function linear(b: GraphBuilder, x: Value, options: LinearOptions): Value {
  const weight = b.param('weight', options.weight, [options.outFeatures, options.inFeatures]);
  const y = b.op.MatMul(x, b.op.Transpose(weight, { perm: [1, 0] }));
  return options.bias ? b.op.Add(y, b.param('bias', options.bias, [options.outFeatures])) : y;
}

export interface LayerNormOptions {
  weight: Float32Array;
  bias: Float32Array;
  epsilon?: number;
}

/**
 * y = (x − mean) / √(var + ε) · γ + β over the last axis. One LayerNormalization node from
 * opset 17 on; below it (imported older models) the same formula in elementary ops.
 */
export function layerNorm(b: GraphBuilder, x: Value, options: LayerNormOptions): Value {
  const size = options.weight.length;
  const epsilon = options.epsilon ?? 1e-5;
  const gamma = b.param('weight', options.weight, [size]);
  const beta = b.param('bias', options.bias, [size]);
  if (b.opset >= 17) return b.op.LayerNormalization(x, gamma, beta, { axis: -1, epsilon })[0]!;
  const centered = b.op.Sub(x, b.op.ReduceMean(x, { axes: [-1], keepdims: 1 }));
  const variance = b.op.ReduceMean(b.op.Mul(centered, centered), { axes: [-1], keepdims: 1 });
  const normalized = b.op.Div(centered, b.op.Sqrt(b.op.Add(variance, epsilon)));
  return b.op.Add(b.op.Mul(normalized, gamma), beta);
}
