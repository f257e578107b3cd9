// Gradient rules for reductions: dy is put back on the reduced axes (Unsqueeze when keepdims=0:
// a reduce's negative axes count from x's rank, as Unsqueeze's count from its output's, the same
// rank) and expanded to x's shape at run time. Axes may be an attribute or an input (opset 13/18).
import type { DataType } from '../../onnx/data-type.js';
import type { Value } from '../../graph/value.js';
import type { GradContext, RuleTable } from '../grad-rule.js';

function axesOf(c: GradContext): Value | number[] | undefined {
  return c.x[1] ?? c.attr<number[] | undefined>('axes', undefined);
}

/** g (shaped like y) broadcast back to x's shape. */
function expandBack(c: GradContext, g: Value): Value {
  const { b } = c;
  const axes = axesOf(c);
  const noAxes = axes === undefined || (Array.isArray(axes) && axes.length === 0);
  if (noAxes && c.attr<number>('noop_with_empty_axes', 0) === 1) return g;
  const kept = c.attr<number>('keepdims', 1) === 1 || noAxes ? g : b.op.Unsqueeze(g, { axes: axes! });
  return b.op.Expand(kept, b.op.Shape(c.x[0]!));
}

const typeOf = (c: GradContext): DataType => c.dy.type ?? 'float32';

/** dy split evenly among the elements equal to the extremum (torch.amax/amin). */
function extremum(c: GradContext) {
  const { b } = c;
  const x = c.x[0]!;
  const mask = b.op.Cast(b.op.Equal(x, expandBack(c, c.y[0]!)), { to: typeOf(c) });
  const axes = axesOf(c);
  const ties = b.op.ReduceSum(mask, { axes, keepdims: c.attr<number>('keepdims', 1), noop_with_empty_axes: c.attr<number>('noop_with_empty_axes', 0) });
  return [() => b.op.Mul(expandBack(c, b.op.Div(c.dy, ties)), mask), null];
}

export const REDUCE_RULES: RuleTable = {
  // dx = dy broadcast over the reduced axes
  ReduceSum: (c) => [() => expandBack(c, c.dy), null],
  // dx = dy·|y|/|x| broadcast over the reduced axes
  ReduceMean: (c) => [() => {
    const { b } = c;
    const count = b.op.Cast(b.op.Div(b.op.Size(c.x[0]!), b.op.Size(c.y[0]!)), { to: typeOf(c) });
    return expandBack(c, b.op.Div(c.dy, count));
  }, null],
  // dxᵢ = dy·[xᵢ = y]/#ties
  ReduceMax: extremum,
  // dxᵢ = dy·[xᵢ = y]/#ties
  ReduceMin: extremum,
  // dx = 2x·dy
  ReduceSumSquare: (c) => [() => c.b.op.Mul(expandBack(c, c.dy), c.b.op.Mul(c.x[0]!, 2)), null],
  // dx = dy·x/y
  ReduceL2: (c) => [() => c.b.op.Mul(expandBack(c, c.b.op.Div(c.dy, c.y[0]!)), c.x[0]!), null],
  // dx = dy·exp(x − y)
  ReduceLogSumExp: (c) => [() => c.b.op.Mul(expandBack(c, c.dy), c.b.op.Exp(c.b.op.Sub(c.x[0]!, expandBack(c, c.y[0]!)))), null],
};
