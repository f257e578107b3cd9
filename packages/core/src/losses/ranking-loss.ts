// sentence-transformers' MultipleNegativesRankingLoss: in-batch negatives (every other positive)
// plus optional hard-negative columns, cross-entropy over the scaled cosine similarities.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { indexEquals, normalizeRows } from './distances.js';
import type { RankingInputs } from './loss-inputs.js';
import { finite } from './loss-options.js';

export interface MultipleNegativesRankingLossOptions {
  /** Multiplies the cosine similarities before the softmax (default 20). */
  scale?: number;
}

/**
 * s = scale · â ĉᵀ with c = [positives; negatives…] and x̂ = x / max(‖x‖, 1e-12) (util.cos_sim);
 * L = mean_i −log softmax(sᵢ)ᵢ (cross-entropy with target i).
 */
export function multipleNegativesRankingLoss(
  b: GraphBuilder, inputs: RankingInputs, options: MultipleNegativesRankingLossOptions = {},
): Value {
  const scale = finite('MultipleNegativesRankingLoss', 'scale', options.scale, 20);
  if (inputs.negatives !== undefined && !Array.isArray(inputs.negatives)) {
    fail('losses', `MultipleNegativesRankingLoss negatives: expected an array of Values, got ${typeof inputs.negatives}`);
  }
  const negatives = inputs.negatives ?? [];
  const candidates = negatives.length === 0 ? inputs.positive : b.node('Concat', [inputs.positive, ...negatives], { axis: 0 })[0]!;
  const similarity = b.op.MatMul(normalizeRows(b, inputs.anchor), b.op.Transpose(normalizeRows(b, candidates), { perm: [1, 0] }));
  const logProbabilities = b.op.LogSoftmax(b.op.Mul(similarity, scale), { axis: -1 });
  const target = b.op.Cast(indexEquals(b, inputs.anchor, candidates), { to: 'float32' });
  const picked = b.op.ReduceSum(b.op.Mul(logProbabilities, target), { axes: [1], keepdims: 0 });
  return b.op.Neg(b.op.ReduceMean(picked, { keepdims: 0 }));
}
