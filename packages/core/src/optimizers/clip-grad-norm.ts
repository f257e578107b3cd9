// torch.nn.utils.clip_grad_norm_ as a graph: one norm over all gradients, every gradient scaled by
// min(max_norm / (norm + 1e-6), 1) — always multiplied, as PyTorch does, even when nothing is clipped.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';

export interface ClipGradNormOptions {
  maxNorm: number;
  /** 2 (default) or Infinity. */
  normType?: number;
}

export interface ClippedGrads {
  grads: Value[];
  /** The total norm before clipping (what clip_grad_norm_ returns). */
  totalNorm: Value;
}

/** n = ‖(‖g₁‖, …, ‖gₖ‖)‖ (p = 2: √Σ‖gᵢ‖²; p = ∞: max |g|); gᵢ ← gᵢ · min(max_norm / (n + 1e-6), 1). */
export function clipGradNorm(b: GraphBuilder, grads: readonly Value[], options: ClipGradNormOptions): ClippedGrads {
  const { maxNorm } = options;
  const normType = options.normType ?? 2;
  if (!Number.isFinite(maxNorm) || maxNorm <= 0) fail('optimizers', `clipGradNorm maxNorm: expected a finite number > 0, got ${maxNorm}`);
  if (normType !== 2 && normType !== Infinity) fail('optimizers', `clipGradNorm normType: expected 2 or Infinity, got ${normType}`);
  if (grads.length === 0) fail('optimizers', 'clipGradNorm grads: expected at least one gradient, got none');
  const norms = grads.map((g) => b.op.Unsqueeze(tensorNorm(b, g, normType), { axes: [0] }));
  const totalNorm = tensorNorm(b, norms.length === 1 ? norms[0]! : b.node('Concat', norms, { axis: 0 })[0]!, normType);
  const coefficient = b.op.Min(b.op.Div(b.scalar(maxNorm), b.op.Add(totalNorm, 1e-6)), 1);
  return { grads: grads.map((g) => b.op.Mul(g, coefficient)), totalNorm };
}

/** torch.linalg.vector_norm over every element, as a 0-d value. */
function tensorNorm(b: GraphBuilder, x: Value, normType: number): Value {
  if (normType === Infinity) return b.op.ReduceMax(b.op.Abs(x), { keepdims: 0 });
  return b.op.Sqrt(b.op.ReduceSum(b.op.Mul(x, x), { keepdims: 0 }));
}
