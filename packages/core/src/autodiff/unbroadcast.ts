// Undoing numpy broadcasting: a gradient shaped like a broadcast output is summed back to an
// input's shape. Shapes known statically (parameters, imported value_info, graph/static-shapes.ts) skip
// the reduction or give constant axes; a static x under an output of unknown rank gets its leading
// axes from Range(0, rank(g) − rank(x)); otherwise the axes are computed at run time from Shape ops
// (symbolic batch/sequence dims): pad x's shape with leading 1s to g's rank, reduce where it is 1
// (NonZero of that mask), then Reshape to x's shape. ReduceSum's noop_with_empty_axes=1 makes
// "nothing to reduce" an identity. Chosen over Reshape tricks because it needs no rank at all.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Dim, Value } from '../graph/value.js';

/** A value's shape where known: imported value_info, or inferred (graph/static-shapes.ts). */
export type ShapeOf = (v: Value) => Dim[] | undefined;

function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d !== null && d === b[i]);
}

function isStatic(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}

/**
 * Sums `g` to `x`'s shape. `operands` are all inputs the output was broadcast from, and `y` the
 * output itself: their known shapes let most cases skip the reduction or fix its axes; `rank`
 * is the output's rank where the op fixes it (Gemm); `shapeOf` what is known of shapes.
 */
export function sumToShape(
  b: GraphBuilder, g: Value, x: Value, operands: readonly (Value | null)[], y?: Value, rank?: number, shapeOf: ShapeOf = (v) => v.shape,
): Value {
  if (b.opset < 13) fail('autodiff', `undoing broadcasting needs ReduceSum with axes as an input: expected opset ≥ 13, got ${b.opset}`);
  const shapes = operands.filter((v): v is Value => v !== null).map(shapeOf);
  const xShape = shapeOf(x);
  const yShape = y ? shapeOf(y) : undefined;
  const known = shapes.length > 0 && shapes.every((s) => s !== undefined);
  if (xShape && known && shapes.every((s) => sameShape(s!, xShape))) return g;
  if (xShape && yShape && sameShape(xShape, yShape)) return g;
  const outRank = rank ?? yShape?.length ?? (known ? shapes.reduce((m, s) => Math.max(m, s!.length), -Infinity) : undefined);
  if (isStatic(xShape)) return sumToStaticShape(b, g, xShape, outRank);
  return (xShape && yShape && sumToSymbolicShape(b, g, xShape, yShape)) || sumToRuntimeShape(b, g, x);
}

/**
 * x and the output both fully named, symbols included ('batch'): axes where x is 1 and the output is
 * not, or that x lacks, are summed; a symbol facing the same symbol is the same size. Undefined when
 * any axis is unsure (a symbol facing another, or an unknown dim).
 */
function sumToSymbolicShape(b: GraphBuilder, g: Value, xShape: readonly Dim[], yShape: readonly Dim[]): Value | undefined {
  const lead = yShape.length - xShape.length;
  if (lead < 0 || xShape.includes(null)) return undefined;
  const axes: number[] = [];
  for (let i = 0; i < yShape.length; i++) {
    const [xd, yd] = [i < lead ? 1 : xShape[i - lead], yShape[i]];
    if (xd === yd && yd !== null) continue;
    if (xd !== 1) return undefined;
    axes.push(i);
  }
  if (axes.length === 0) return g;
  const summed = b.op.ReduceSum(g, { axes, keepdims: 1 });
  return lead === 0 ? summed : b.op.Squeeze(summed, { axes: Array.from({ length: lead }, (_, i) => i) });
}

function sumToStaticShape(b: GraphBuilder, g: Value, dims: readonly number[], outRank: number | undefined): Value {
  const ones = dims.flatMap((d, i) => (d === 1 ? [i - dims.length] : []));
  if (outRank !== undefined) {
    const lead = outRank - dims.length;
    const axes = [...Array.from({ length: lead }, (_, i) => i), ...ones.map((a) => a + outRank)];
    if (axes.length === 0) return g;
    const summed = b.op.ReduceSum(g, { axes, keepdims: 1 });
    return lead === 0 ? summed : b.op.Reshape(summed, b.int64s(dims));
  }
  const rank = b.op.Shape(b.op.Shape(g));
  const lead = b.op.Range(b.scalar(0, 'int64'), b.op.Squeeze(b.op.Sub(rank, b.int64s([dims.length])), { axes: [0] }), b.scalar(1, 'int64'));
  const axes = ones.length > 0 ? b.op.Concat(lead, b.int64s(ones), { axis: 0 }) : lead;
  return b.op.Reshape(b.op.ReduceSum(g, { axes, keepdims: 1, noop_with_empty_axes: 1 }), b.int64s(dims));
}

function sumToRuntimeShape(b: GraphBuilder, g: Value, x: Value): Value {
  const gShape = b.op.Shape(g);
  const xShape = b.op.Shape(x);
  const padding = b.op.Sub(b.op.Shape(gShape), b.op.Shape(xShape));
  const one = { type: 'int64' as const, dims: [1], data: BigInt64Array.of(1n) };
  const padded = b.op.Concat(b.op.ConstantOfShape(padding, { value: one }), xShape, { axis: 0 });
  const axes = b.op.Reshape(b.op.NonZero(b.op.Equal(padded, b.int64s([1]))), b.int64s([-1]));
  return b.op.Reshape(b.op.ReduceSum(g, { axes, keepdims: 1, noop_with_empty_axes: 1 }), xShape);
}
