// Gradient rules for ops that only move, copy or select elements. Reshapes map dy back with
// Reshape(dy, Shape(x)); selections (Slice, Gather*, Tile) replay the forward op on x's flat
// element indices and scatter-add dy there, which handles any starts/steps/negative indices
// and repeated indices alike, with shapes known only at run time.
import type { DataType } from '../../onnx/data-type.js';
import { typedArrayOf } from '../../graph/graph-builder.js';
import type { Value } from '../../graph/value.js';
import type { GradContext, RuleTable } from '../grad-rule.js';
import { sumToShape } from '../unbroadcast.js';

const reshapeBack = (c: GradContext): Value => c.b.op.Reshape(c.dy, c.b.op.Shape(c.x[0]!));

/** Zeros of `type` with `count` (a 1-D int64 of one element) elements. */
export function zerosOfSize(c: GradContext, count: Value, type: DataType): Value {
  return c.b.op.ConstantOfShape(count, { value: { type, dims: [1], data: typedArrayOf(type, [0]) } });
}

/** dx for an op that only moves x's elements: the same op on x's flat indices says where each dy element came from. */
function scatterToSource(c: GradContext): Value {
  const { b, node, dy } = c;
  const x = c.x[0]!;
  const count = b.op.Size(x);
  const ids = b.op.Reshape(b.op.Range(b.scalar(0, 'int64'), count, b.scalar(1, 'int64')), b.op.Shape(x));
  const [moved] = b.appendNode({
    opType: node.opType, domain: '', inputs: [ids, ...node.inputs.slice(1)], attributes: node.attributes, outputTypes: ['int64'], name: `${node.opType}_source`,
  });
  const zeros = zerosOfSize(c, b.op.Reshape(count, b.int64s([1])), dy.type ?? 'float32');
  const flat = b.op.ScatterElements(zeros, b.op.Reshape(moved!, b.int64s([-1])), b.op.Reshape(dy, b.int64s([-1])), { axis: 0, reduction: 'add' });
  return b.op.Reshape(flat, b.op.Shape(x));
}

function concat(c: GradContext) {
  const { b } = c;
  const axis = c.attr('axis', 0);
  const sizes = b.node('Concat', c.x.map((x) => b.op.Gather(b.op.Shape(x!), b.int64s([axis]))), { axis: 0 })[0]!;
  const parts = b.node('Split', [c.dy], { axis, split: sizes }, { outputs: c.x.length });
  return parts.map((part) => () => part);
}

function split(c: GradContext) {
  const { b } = c;
  const parts = c.dys.map((g, i) => g ?? zerosOfSize(c, b.op.Shape(c.y[i]!), c.y[i]!.type ?? 'float32'));
  return [() => b.node('Concat', parts, { axis: c.attr('axis', 0) })[0]!, null];
}

function transpose(c: GradContext) {
  const perm = c.attr<number[] | undefined>('perm', undefined);
  if (perm === undefined) return [() => c.b.op.Transpose(c.dy)];
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return [() => c.b.op.Transpose(c.dy, { perm: inverse })];
}

export const SHAPE_RULES: RuleTable = {
  // dx = reshape(dy, shape(x))
  Reshape: (c) => [() => reshapeBack(c), null],
  // dx = reshape(dy, shape(x))
  Flatten: (c) => [() => reshapeBack(c)],
  // dx = reshape(dy, shape(x))
  Squeeze: (c) => [() => reshapeBack(c), null],
  // dx = reshape(dy, shape(x))
  Unsqueeze: (c) => [() => reshapeBack(c), null],
  // dx = transpose(dy, perm⁻¹)
  Transpose: transpose,
  // dx = dy summed over the broadcast axes
  Expand: (c) => [() => sumToShape(c.b, c.dy, c.x[0]!, [], c.y[0], undefined, c.shapeOf), null],
  // dxᵢ = the slice of dy that xᵢ filled
  Concat: concat,
  // dx = concat(dyᵢ), zeros for outputs without a gradient
  Split: split,
  // dx = scatter-add of dy to the positions the slice read
  Slice: (c) => [() => scatterToSource(c), null, null, null, null],
  // dx = scatter-add of dy to the gathered rows (repeated indices accumulate)
  Gather: (c) => [() => scatterToSource(c), null],
  // dx = scatter-add of dy to the gathered elements
  GatherElements: (c) => [() => scatterToSource(c), null],
  // dx = scatter-add of dy to the gathered slices
  GatherND: (c) => [() => scatterToSource(c), null],
  // dx = sum of dy over the copies
  Tile: (c) => [() => scatterToSource(c), null],
};
