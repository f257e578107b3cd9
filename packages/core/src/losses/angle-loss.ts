// sentence-transformers' AnglELoss (Li & Li 2023, arXiv 2309.12871): CoSENT's ranking on the angle
// difference of the two embeddings read as complex vectors (first half real, second half imaginary),
// whose gradient does not vanish where the cosine saturates; util.pairwise_angle_sim as written.
import { typedArrayOf, type GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { rankedPairsLoss } from './cosent-loss.js';
import type { PairInputs } from './loss-inputs.js';
import { finite } from './loss-options.js';

export interface AnglELossOptions {
  /** Multiplies the angle similarities (default 20, sentence-transformers' own). */
  scale?: number;
}

/** CoSENT with s = scale · pairwiseAngleSim(aᵢ, bᵢ): L = log(1 + Σ_{yᵢ < yⱼ} exp(sᵢ − sⱼ)). */
export function angleLoss(b: GraphBuilder, inputs: PairInputs, options: AnglELossOptions = {}): Value {
  const scale = finite('AnglELoss', 'scale', options.scale, 20);
  return rankedPairsLoss(b, pairwiseAngleSim(b, inputs.anchor, inputs.other), inputs.labels, scale);
}

/**
 * x = a + ib, y = c + id per row; with z = Σ(c² + d²): re = (ac + bd)/z, im = (bc − ad)/z (x / y
 * elementwise), both divided by ‖x‖/‖y‖; the similarity is |Σ re + Σ im| [B]. No ε, as the reference.
 */
export function pairwiseAngleSim(b: GraphBuilder, x: Value, y: Value): Value {
  const [a, bi] = complexHalves(b, x);
  const [c, d] = complexHalves(b, y);
  const sum = (v: Value) => b.op.ReduceSum(v, { axes: [1], keepdims: 1 });
  const z = sum(b.op.Add(b.op.Mul(c, c), b.op.Mul(d, d)));
  const re = b.op.Div(b.op.Add(b.op.Mul(a, c), b.op.Mul(bi, d)), z);
  const im = b.op.Div(b.op.Sub(b.op.Mul(bi, c), b.op.Mul(a, d)), z);
  const dz = b.op.Sqrt(sum(b.op.Add(b.op.Mul(a, a), b.op.Mul(bi, bi))));
  const dw = b.op.Sqrt(z);
  const ratio = b.op.Div(dz, dw);
  const angle = b.op.Concat(b.op.Div(re, ratio), b.op.Div(im, ratio), { axis: 1 });
  return b.op.Abs(b.op.ReduceSum(angle, { axes: [1], keepdims: 0 }));
}

/** torch.chunk(x, 2, dim=1) after sentence-transformers' zero column for an odd size: [B, D] → 2 × [B, ⌈D/2⌉]. */
function complexHalves(b: GraphBuilder, x: Value): [Value, Value] {
  const type = x.type ?? 'float32';
  const shape = b.op.Shape(x);
  const rows = b.op.Slice(shape, { starts: [0], ends: [1], axes: [0] });
  const odd = b.op.Mod(b.op.Slice(shape, { starts: [1], ends: [2], axes: [0] }), b.int64s([2]));
  const padding = b.op.ConstantOfShape(b.op.Concat(rows, odd, { axis: 0 }), { value: { type, dims: [1], data: typedArrayOf(type, [0]) } });
  const [real, imaginary] = b.node('Split', [b.op.Concat(x, padding, { axis: 1 })], { axis: 1 }, { outputs: 2 });
  return [real!, imaginary!];
}
