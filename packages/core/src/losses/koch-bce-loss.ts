// Koch et al. 2015's pair loss: a learned linear head on the L1 difference of the twin embeddings,
// trained with binary cross-entropy; its parameters are `head.weight` [1, dim] and `head.bias` [1],
// made with b.param so buildTrainStep trains them with the encoder's.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { linear } from '../graph/layers.js';
import type { Value } from '../graph/value.js';
import { seededUniform } from '../random.js';
import type { PairInputs } from './loss-inputs.js';

export interface KochBceLossOptions {
  /** Embedding size. */
  dim: number;
  /** Initial head (PyTorch layout weight [1, dim], bias [1]); default nn.Linear's U(−1/√dim, 1/√dim) from `seed`. */
  head?: { weight: Float32Array; bias: Float32Array };
  /** Default 0. */
  seed?: number;
}

/** z = w·|e₁ − e₂| + b; L = mean max(z, 0) − y·z + log(1 + e^−|z|) (BCE with logits, y = 1 same). */
export function kochBceLoss(b: GraphBuilder, inputs: PairInputs, options: KochBceLossOptions): Value {
  const dim = options.dim;
  if (!Number.isInteger(dim) || dim < 1) fail('losses', `KochBCE dim: expected a positive integer, got ${String(dim)}`);
  const head = options.head ?? defaultHead(dim, options.seed ?? 0);
  if (head.weight.length !== dim || head.bias.length !== 1) {
    fail('losses', `KochBCE head: expected weight [1, ${dim}] and bias [1], got ${head.weight.length} and ${head.bias.length} values`);
  }
  const features = b.op.Abs(b.op.Sub(inputs.anchor, inputs.other));
  const logits = b.op.Squeeze(b.scope('head', () => linear(b, features, { ...head, inFeatures: dim, outFeatures: 1 })), { axes: [1] });
  const softplus = b.op.Log(b.op.Add(b.op.Exp(b.op.Neg(b.op.Abs(logits))), 1));
  const losses = b.op.Add(b.op.Sub(b.op.Relu(logits), b.op.Mul(inputs.labels, logits)), softplus);
  return b.op.ReduceMean(losses, { keepdims: 0 });
}

function defaultHead(dim: number, seed: number): { weight: Float32Array; bias: Float32Array } {
  const bound = 1 / Math.sqrt(dim);
  return { weight: seededUniform(seed, dim, -bound, bound), bias: seededUniform(seed + 1, 1, -bound, bound) };
}
