// sentence-transformers' BatchHard/BatchAll/BatchSemiHardTripletLoss: triplets are mined inside the
// graph from int64 labels, with the reference's masks, reductions and tie rules kept as written.
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { batchDistances, indexEquals, labelsEqual, type BatchDistance } from './distances.js';
import type { LabeledInputs } from './loss-inputs.js';
import { batchDistanceOf, finite } from './loss-options.js';

export interface BatchTripletLossOptions {
  /** Default 5. */
  margin?: number;
  /** Default 'euclidean' (BatchHardTripletLossDistanceFunction.eucledian_distance). */
  distance?: BatchDistance;
}

interface Mined {
  d: Value;
  same: Value;
  eye: Value;
  margin: number;
}

function mine(b: GraphBuilder, inputs: LabeledInputs, options: BatchTripletLossOptions, loss: string): Mined {
  const margin = finite(loss, 'margin', options.margin, 5);
  const d = batchDistances(b, inputs.embeddings, batchDistanceOf(loss, options.distance));
  return { d, same: labelsEqual(b, inputs.labels), eye: indexEquals(b, inputs.embeddings, inputs.embeddings), margin };
}

const float = (b: GraphBuilder, mask: Value): Value => b.op.Cast(mask, { to: 'float32' });

/**
 * Per anchor: hardest positive max_j [yⱼ = yᵢ, j ≠ i]·dᵢⱼ, hardest negative min_k dᵢₖ + maxₖ dᵢₖ·[yₖ = yᵢ];
 * L = mean relu(hardest⁺ − hardest⁻ + m).
 */
export function batchHardTripletLoss(b: GraphBuilder, inputs: LabeledInputs, options: BatchTripletLossOptions = {}): Value {
  const { d, same, eye, margin } = mine(b, inputs, options, 'BatchHardTripletLoss');
  const positiveMask = float(b, b.op.And(same, b.op.Not(eye)));
  const hardestPositive = b.op.ReduceMax(b.op.Mul(positiveMask, d), { axes: [1], keepdims: 1 });
  const rowMax = b.op.ReduceMax(d, { axes: [1], keepdims: 1 });
  const negativeDistances = b.op.Add(d, b.op.Mul(rowMax, float(b, same)));
  const hardestNegative = b.op.ReduceMin(negativeDistances, { axes: [1], keepdims: 1 });
  return b.op.ReduceMean(b.op.Relu(b.op.Add(b.op.Sub(hardestPositive, hardestNegative), margin)), { keepdims: 0 });
}

/**
 * Over valid triplets (i, j, k distinct, yᵢ = yⱼ ≠ yₖ): tᵢⱼₖ = relu(dᵢⱼ − dᵢₖ + m);
 * L = Σ t / (#{t > 1e-16} + 1e-16).
 */
export function batchAllTripletLoss(b: GraphBuilder, inputs: LabeledInputs, options: BatchTripletLossOptions = {}): Value {
  const { d, same, eye, margin } = mine(b, inputs, options, 'BatchAllTripletLoss');
  const differ = b.op.Not(eye);
  const [jk, ik, ij] = [0, 1, 2].map((axis) => b.op.Unsqueeze(differ, { axes: [axis] })) as [Value, Value, Value];
  const distinct = b.op.And(b.op.And(ij, ik), jk);
  const valid = b.op.And(b.op.Unsqueeze(same, { axes: [2] }), b.op.Not(b.op.Unsqueeze(same, { axes: [1] })));
  const raw = b.op.Add(b.op.Sub(b.op.Unsqueeze(d, { axes: [2] }), b.op.Unsqueeze(d, { axes: [1] })), margin);
  const losses = b.op.Relu(b.op.Mul(float(b, b.op.And(distinct, valid)), raw));
  const active = b.op.ReduceSum(float(b, b.op.Greater(losses, 1e-16)), { keepdims: 0 });
  return b.op.Div(b.op.ReduceSum(losses, { keepdims: 0 }), b.op.Add(active, 1e-16));
}

/** _masked_minimum: min over `axis` of (x − maxₐ x)·mask, plus maxₐ x (the row max when the mask is empty). */
function maskedMinimum(b: GraphBuilder, x: Value, mask: Value, axis: number): Value {
  const rowMax = b.op.ReduceMax(x, { axes: [axis], keepdims: 1 });
  return b.op.Add(b.op.ReduceMin(b.op.Mul(b.op.Sub(x, rowMax), mask), { axes: [axis], keepdims: 1 }), rowMax);
}

/** _masked_maximum: max over `axis` of (x − minₐ x)·mask, plus minₐ x. */
function maskedMaximum(b: GraphBuilder, x: Value, mask: Value, axis: number): Value {
  const rowMin = b.op.ReduceMin(x, { axes: [axis], keepdims: 1 });
  return b.op.Add(b.op.ReduceMax(b.op.Mul(b.op.Sub(x, rowMin), mask), { axes: [axis], keepdims: 1 }), rowMin);
}

/**
 * For each positive pair (i, j), j ≠ i: the semi-hard negative is the nearest k with yₖ ≠ yᵢ and
 * dᵢₖ > dᵢⱼ (strictly), else the farthest negative of i; lᵢⱼ = dᵢⱼ − dᵢ,neg + m;
 * L = Σ max(lᵢⱼ·[positive pair], 0) / #positive pairs. Indexed [i, j, k] as the reference's tiled [i + B·j, k].
 */
export function batchSemiHardTripletLoss(b: GraphBuilder, inputs: LabeledInputs, options: BatchTripletLossOptions = {}): Value {
  const { d, same, eye, margin } = mine(b, inputs, options, 'BatchSemiHardTripletLoss');
  const different = b.op.Not(same);
  const anchorToK = b.op.Unsqueeze(d, { axes: [1] });
  const beyond = b.op.And(b.op.Unsqueeze(different, { axes: [1] }), b.op.Greater(anchorToK, b.op.Unsqueeze(d, { axes: [2] })));
  const beyondMask = float(b, beyond);
  const hasBeyond = b.op.Greater(b.op.ReduceSum(beyondMask, { axes: [2], keepdims: 0 }), 0);
  const outside = b.op.Squeeze(maskedMinimum(b, anchorToK, beyondMask, 2), { axes: [2] });
  const inside = maskedMaximum(b, d, float(b, different), 1);
  const lossMatrix = b.op.Add(b.op.Sub(d, b.op.Where(hasBeyond, outside, inside)), margin);
  const positives = b.op.Sub(float(b, same), float(b, eye));
  const total = b.op.ReduceSum(b.op.Max(b.op.Mul(lossMatrix, positives), 0), { keepdims: 0 });
  return b.op.Div(total, b.op.ReduceSum(positives, { keepdims: 0 }));
}
