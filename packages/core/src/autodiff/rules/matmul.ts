// Gradient rules for matrix products. Shapes are often unknown in imported models (the legacy
// exporter writes no value_info): a static 2-D weight, the common case, needs no rank at all;
// known ranks give Transpose + MatMul; otherwise Einsum's ellipsis handles any batch rank.
import type { Value } from '../../graph/value.js';
import type { GradContext, RuleTable } from '../grad-rule.js';
import { sumToShape } from '../unbroadcast.js';

/** Swaps the last two axes of a rank-r tensor. */
const swapLast = (r: number): number[] => [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];

function matmulGradA(c: GradContext): Value {
  const { b, dy } = c;
  const [, w] = c.x as Value[];
  const ra = c.shapeOf(c.x[0]!)?.length;
  const rb = c.shapeOf(w!)?.length;
  // A 2-D b adds no batch axes: dy·bᵀ already has a's shape (a 1-D a included).
  if (rb === 2) return b.op.MatMul(dy, b.op.Transpose(w!, { perm: [1, 0] }));
  if (ra !== undefined && rb !== undefined && ra >= 2 && rb >= 2) return c.unbroadcast(b.op.MatMul(dy, b.op.Transpose(w!, { perm: swapLast(rb) })), 0);
  return c.unbroadcast(b.op.Einsum(dy, w!, { equation: '...mn,...kn->...mk' }), 0);
}

function matmulGradB(c: GradContext): Value {
  const { b, dy } = c;
  const [a, w] = c.x as Value[];
  const dims = c.shapeOf(w!);
  if (dims?.length === 2 && typeof dims[0] === 'number' && typeof dims[1] === 'number') {
    const rows = b.op.Transpose(b.op.Reshape(a!, b.int64s([-1, dims[0]])), { perm: [1, 0] });
    return b.op.MatMul(rows, b.op.Reshape(dy, b.int64s([-1, dims[1]])));
  }
  const ra = c.shapeOf(a!)?.length;
  const rb = dims?.length;
  if (ra !== undefined && rb !== undefined && ra >= 2 && rb >= 2) return c.unbroadcast(b.op.MatMul(b.op.Transpose(a!, { perm: swapLast(ra) }), dy), 1);
  return c.unbroadcast(b.op.Einsum(a!, dy, { equation: '...mk,...mn->...kn' }), 1);
}

function gemm(c: GradContext) {
  const { b, dy } = c;
  const [a, w, bias] = c.x;
  const alpha = c.attr('alpha', 1);
  const beta = c.attr('beta', 1);
  const transA = c.attr('transA', 0);
  const transB = c.attr('transB', 0);
  return [
    () => (transA ? b.op.Gemm(w!, dy, { alpha, transA: transB, transB: 1 }) : b.op.Gemm(dy, w!, { alpha, transB: transB ? 0 : 1 })),
    () => (transB ? b.op.Gemm(dy, a!, { alpha, transA: 1, transB: transA }) : b.op.Gemm(a!, dy, { alpha, transA: transA ? 0 : 1 })),
    () => sumToShape(b, beta === 1 ? dy : b.op.Mul(dy, beta), bias!, [], undefined, 2, c.shapeOf),
  ];
}

export const MATMUL_RULES: RuleTable = {
  // da = dy·bᵀ, db = aᵀ·dy (batch axes summed back to each input's shape)
  MatMul: (c) => [() => matmulGradA(c), () => matmulGradB(c)],
  // y = α·A′B′ + βC: dA′ = α·dy·B′ᵀ, dB′ = α·A′ᵀ·dy, dC = β·dy summed to C's shape
  Gemm: gemm,
};
