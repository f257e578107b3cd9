// sentence-transformers' CoSENTLoss (Su Jianlin, 2022): a ranking loss over every two pairs of the
// batch, so a pair with the higher gold score must get the higher similarity; the scores' scale is
// irrelevant, only their order. AnglELoss (angle-loss.ts) is the same loss on another similarity.
import { typedArrayOf, type GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { normalizeRows } from './distances.js';
import type { PairInputs } from './loss-inputs.js';
import { finite } from './loss-options.js';

export interface CoSENTLossOptions {
  /** Multiplies the similarities (default 20, sentence-transformers' own). */
  scale?: number;
}

/** util.pairwise_cos_sim: Σ x/max(‖x‖, 1e-12) · y/max(‖y‖, 1e-12) per row (F.normalize's ε, not cosine_similarity's). */
export function pairwiseCosSim(b: GraphBuilder, x: Value, y: Value): Value {
  return b.op.ReduceSum(b.op.Mul(normalizeRows(b, x), normalizeRows(b, y)), { axes: [-1], keepdims: 0 });
}

/**
 * s = scale · cos(aᵢ, bᵢ); L = log(1 + Σ_{yᵢ < yⱼ} exp(sᵢ − sⱼ)), computed as sentence-transformers
 * does: logsumexp of [0, (sᵢ − sⱼ) − (1 − [yᵢ < yⱼ])·1e12 for all i, j].
 */
export function cosentLoss(b: GraphBuilder, inputs: PairInputs, options: CoSENTLossOptions = {}): Value {
  const scale = finite('CoSENTLoss', 'scale', options.scale, 20);
  return rankedPairsLoss(b, pairwiseCosSim(b, inputs.anchor, inputs.other), inputs.labels, scale);
}

/** CoSENT's ranking on per-pair similarities `similarity` [B] and gold scores `labels` [B]. */
export function rankedPairsLoss(b: GraphBuilder, similarity: Value, labels: Value, scale: number): Value {
  const type = similarity.type ?? 'float32';
  const s = b.op.Mul(similarity, scale);
  const difference = b.op.Sub(b.op.Unsqueeze(s, { axes: [1] }), b.op.Unsqueeze(s, { axes: [0] }));
  const ranked = b.op.Cast(b.op.Less(b.op.Unsqueeze(labels, { axes: [1] }), b.op.Unsqueeze(labels, { axes: [0] })), { to: type });
  // exp(−1e12 + …) is exactly 0 in float32 and float64: an excluded pair adds nothing, nor any gradient.
  const masked = b.op.Sub(difference, b.op.Mul(b.op.Sub(1, ranked), 1e12));
  const zero = b.constant({ type, dims: [1], data: typedArrayOf(type, [0]) }); // e⁰ = 1: the "1 +" of the formula
  return b.op.ReduceLogSumExp(b.op.Concat(zero, b.op.Reshape(masked, b.int64s([-1])), { axis: 0 }), { keepdims: 0 });
}
