// Distances and masks the losses share, written as PyTorch computes them (F.pairwise_distance,
// F.cosine_similarity, util.cos_sim, sentence-transformers' batch euclidean), so values and
// gradients follow the reference definitions rather than algebraically equal rewrites.
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';

export type Distance = 'cosine' | 'euclidean' | 'manhattan';

/** F.normalize: x / max(‖x‖₂, ε) over the last axis (ε = 1e-12 as PyTorch's default). */
export function normalizeRows(b: GraphBuilder, x: Value, eps = 1e-12): Value {
  const norm = b.op.Sqrt(b.op.ReduceSum(b.op.Mul(x, x), { axes: [-1], keepdims: 1 }));
  return b.op.Div(x, b.op.Max(norm, eps));
}

/** F.cosine_similarity row-wise: Σ x/max(‖x‖, ε) · y/max(‖y‖, ε), ε = 1e-8. */
export function cosineSimilarity(b: GraphBuilder, x: Value, y: Value): Value {
  return b.op.ReduceSum(b.op.Mul(normalizeRows(b, x, 1e-8), normalizeRows(b, y, 1e-8)), { axes: [-1], keepdims: 0 });
}

/**
 * Row-wise distance [B]: euclidean ‖x − y + ε‖₂ and manhattan ‖x − y + ε‖₁ as F.pairwise_distance
 * (ε = 1e-6 there; 0 for references that pass eps=0), cosine 1 − cos(x, y).
 */
export function pairwiseDistance(b: GraphBuilder, x: Value, y: Value, distance: Distance, eps: number): Value {
  if (distance === 'cosine') return b.op.Sub(1, cosineSimilarity(b, x, y));
  const diff = eps === 0 ? b.op.Sub(x, y) : b.op.Add(b.op.Sub(x, y), eps);
  if (distance === 'manhattan') return b.op.ReduceSum(b.op.Abs(diff), { axes: [-1], keepdims: 0 });
  return b.op.Sqrt(b.op.ReduceSum(b.op.Mul(diff, diff), { axes: [-1], keepdims: 0 }));
}

/** 0..n−1 (int64) where n is x's first dimension, known only at run time. */
export function rowIndices(b: GraphBuilder, x: Value): Value {
  const n = b.op.Gather(b.op.Shape(x), b.scalar(0, 'int64'), { axis: 0 });
  return b.op.Range(b.scalar(0, 'int64'), n, b.scalar(1, 'int64'));
}

/** bool [rows(x), rows(y)]: true where the row index equals the column index (an identity when x, y have equal rows). */
export function indexEquals(b: GraphBuilder, x: Value, y: Value): Value {
  return b.op.Equal(b.op.Unsqueeze(rowIndices(b, x), { axes: [1] }), b.op.Unsqueeze(rowIndices(b, y), { axes: [0] }));
}

/** bool [B, B]: labels[i] == labels[j]. */
export function labelsEqual(b: GraphBuilder, labels: Value): Value {
  return b.op.Equal(b.op.Unsqueeze(labels, { axes: [1] }), b.op.Unsqueeze(labels, { axes: [0] }));
}

export type BatchDistance = 'euclidean' | 'cosine';

/**
 * [B, B] distances between all rows, as sentence-transformers' BatchHardTripletLossDistanceFunction:
 * euclidean d² = ‖eᵢ‖² − 2 eᵢ·eⱼ + ‖eⱼ‖² (norms from the Gram diagonal, so dᵢᵢ is exactly 0), clamped
 * at 0, d = (1 − [d² = 0]) · √(d² + [d² = 0]·1e-16); cosine 1 − ê êᵀ.
 */
export function batchDistances(b: GraphBuilder, e: Value, distance: BatchDistance): Value {
  if (distance === 'cosine') {
    const unit = normalizeRows(b, e);
    return b.op.Sub(1, b.op.MatMul(unit, b.op.Transpose(unit, { perm: [1, 0] })));
  }
  const dot = b.op.MatMul(e, b.op.Transpose(e, { perm: [1, 0] }));
  const eye = b.op.Cast(indexEquals(b, e, e), { to: 'float32' });
  const squareNorm = b.op.ReduceSum(b.op.Mul(dot, eye), { axes: [1], keepdims: 0 });
  const twice = b.op.Sub(b.op.Unsqueeze(squareNorm, { axes: [0] }), b.op.Mul(dot, 2));
  const squared = b.op.Relu(b.op.Add(twice, b.op.Unsqueeze(squareNorm, { axes: [1] })));
  const zero = b.op.Cast(b.op.Equal(squared, 0), { to: 'float32' });
  return b.op.Mul(b.op.Sub(1, zero), b.op.Sqrt(b.op.Add(squared, b.op.Mul(zero, 1e-16))));
}
