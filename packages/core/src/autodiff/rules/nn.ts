// Gradient rules for neural-network layers: softmax, layer normalization (recomputing the
// normalized input rather than trusting optional Mean/InvStdDev outputs), convolution (conv.ts) and
// max pooling (max-pool.ts).
import { fail } from '../../errors.js';
import type { Value } from '../../graph/value.js';
import type { GradContext, RuleTable } from '../grad-rule.js';
import { conv } from './conv.js';
import { maxPool } from './max-pool.js';

function softmaxAxis(c: GradContext): number {
  const axis = c.attr('axis', c.b.opset >= 13 ? -1 : 1);
  if (c.b.opset < 13 && axis !== -1) fail('autodiff', `${c.node.opType} node "${c.node.name}": before opset 13 only axis -1 is differentiated, got axis ${axis}`);
  return axis;
}

function layerNorm(c: GradContext) {
  const { b, dy } = c;
  const [x, gamma] = c.x as Value[];
  if (c.dys.slice(1).some((g) => g !== null)) fail('autodiff', `LayerNormalization node "${c.node.name}": gradients through its Mean/InvStdDev outputs are not supported`);
  const axis = c.attr('axis', -1);
  const rank = axis < 0 ? -axis : c.shapeOf(x!)?.length;
  if (rank === undefined) fail('autodiff', `LayerNormalization node "${c.node.name}": axis ${axis} ≥ 0 needs x's rank, which is unknown`);
  const axes = axis < 0 ? Array.from({ length: -axis }, (_, i) => axis + i) : Array.from({ length: rank - axis }, (_, i) => axis + i);
  const mean = (v: Value) => b.op.ReduceMean(v, { axes, keepdims: 1 });
  // The forward's own Mean and InvStdDev outputs where it kept them (same type as x), else recomputed: three passes over x fewer.
  const [stashedMean, stashedInv] = [c.y[1], c.y[2]];
  const stashed = stashedMean?.name && stashedInv?.name && stashedMean.type === x!.type && stashedInv.type === x!.type;
  const centered = b.op.Sub(x!, stashed ? stashedMean : mean(x!));
  const inv = stashed ? stashedInv : b.op.Reciprocal(b.op.Sqrt(b.op.Add(mean(b.op.Mul(centered, centered)), c.attr('epsilon', 1e-5))));
  const xhat = b.op.Mul(centered, inv);
  const g = b.op.Mul(dy, gamma!);
  return [
    () => b.op.Mul(inv, b.op.Sub(b.op.Sub(g, mean(g)), b.op.Mul(xhat, mean(b.op.Mul(g, xhat))))),
    () => c.unbroadcast(b.op.Mul(dy, xhat), 1),
    () => c.unbroadcast(dy, 2),
  ];
}

export const NN_RULES: RuleTable = {
  // dx = y·(dy − Σₐ dy·y)
  Softmax: (c) => [() => c.b.op.Mul(c.y[0]!, c.b.op.Sub(c.dy, c.b.op.ReduceSum(c.b.op.Mul(c.dy, c.y[0]!), { axes: [softmaxAxis(c)], keepdims: 1 })))],
  // dx = dy − eʸ·Σₐ dy
  LogSoftmax: (c) => [() => c.b.op.Sub(c.dy, c.b.op.Mul(c.b.op.Exp(c.y[0]!), c.b.op.ReduceSum(c.dy, { axes: [softmaxAxis(c)], keepdims: 1 })))],
  // x̂ = (x − μ)/σ, y = γx̂ + β: dx = (g − mean(g) − x̂·mean(g·x̂))/σ with g = γ·dy; dγ = Σ dy·x̂; dβ = Σ dy
  LayerNormalization: layerNorm,
  // dx = convᵀ(dy, w); dw[m, c, κ] = Σₙ,ₚ dy[n, m, p]·x̂[n, c, s·p + d·κ] (x̂ zero-padded); db = Σ dy over batch and space
  Conv: conv,
  // dx = dy routed to each window's first argmax
  MaxPool: maxPool,
};
