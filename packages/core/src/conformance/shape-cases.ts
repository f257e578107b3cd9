// Conformance cases for ops that move data without arithmetic: reshapes, slices, gathers and
// scatters, shape queries. All compare exactly; axes-as-inputs are checked on both sides of each move.
import type { Value } from '../graph/value.js';
import type { Tensor } from '../runtime/runtime.js';
import { f32, opCase, uniform, type OpCase } from './op-case.js';
import { generate, ravel, valuesOf } from './reference.js';

const x234 = uniform(61, [2, 3, 4], -2, 2);

const reshaped = (t: Tensor, dims: readonly number[]): Tensor => ({ ...t, dims });

function transpose(t: Tensor, perm: readonly number[]): Tensor {
  const v = valuesOf(t);
  return generate(t.type, perm.map((p) => t.dims[p]!), (o) => {
    const index = new Array<number>(o.length);
    perm.forEach((p, k) => (index[p] = o[k]!));
    return v[ravel(index, t.dims)]!;
  });
}

function concat(ts: readonly Tensor[], axis: number): Tensor {
  const dims = [...ts[0]!.dims];
  dims[axis] = ts.reduce((n, t) => n + t.dims[axis]!, 0);
  const offsets = ts.map((_, k) => ts.slice(0, k).reduce((n, t) => n + t.dims[axis]!, 0));
  return generate(ts[0]!.type, dims, (o) => {
    const k = offsets.findLastIndex((offset) => offset <= o[axis]!);
    const index = o.map((x, a) => (a === axis ? x - offsets[k]! : x));
    return valuesOf(ts[k]!)[ravel(index, ts[k]!.dims)]!;
  });
}

/** Slice per the ONNX spec: negative starts/ends count from the end, then clamp by the step's sign. */
function slice(t: Tensor, starts: number[], ends: number[], axes: number[], steps: number[]): Tensor {
  const first = t.dims.map(() => 0);
  const step = t.dims.map(() => 1);
  const dims = [...t.dims];
  axes.forEach((axis, k) => {
    const d = t.dims[axis]!;
    const s = steps[k]!;
    const at = (v: number) => (v < 0 ? v + d : v);
    const start = s > 0 ? Math.min(Math.max(at(starts[k]!), 0), d) : Math.min(Math.max(at(starts[k]!), 0), d - 1);
    const end = s > 0 ? Math.min(Math.max(at(ends[k]!), 0), d) : Math.min(Math.max(at(ends[k]!), -1), d - 1);
    [first[axis], step[axis], dims[axis]] = [start, s, Math.max(0, Math.ceil((end - start) / s))];
  });
  const v = valuesOf(t);
  return generate(t.type, dims, (o) => v[ravel(o.map((i, k) => first[k]! + i * step[k]!), t.dims)]!);
}

const RESHAPES: OpCase[] = [
  opCase({
    name: 'Reshape [0, -1]', ops: ['Reshape'], opsets: [11, 17, 18], precision: 'exact',
    inputs: { x: x234 },
    build: (b, { x }) => ({ y: b.op.Reshape(x, b.int64s([0, -1])) }),
    reference: ({ x }) => ({ y: reshaped(x, [2, 12]) }),
  }),
  // allowzero=1 (opset 14) makes a 0 in the shape a real 0, not "copy this dim": only an empty tensor shows it.
  opCase({
    name: 'Reshape allowzero empty', ops: ['Reshape'], opsets: [14, 17, 18], precision: 'exact',
    inputs: { x: f32([0, 3], []) },
    build: (b, { x }) => ({ y: b.op.Reshape(x, b.int64s([3, 0]), { allowzero: 1 }) }),
    reference: ({ x }) => ({ y: reshaped(x, [3, 0]) }),
  }),
  opCase({
    name: 'Transpose [2, 0, 1]', ops: ['Transpose'], precision: 'exact',
    inputs: { x: x234 },
    build: (b, { x }) => ({ y: b.op.Transpose(x, { perm: [2, 0, 1] }) }),
    reference: ({ x }) => ({ y: transpose(x, [2, 0, 1]) }),
  }),
  opCase({
    name: 'Flatten axis 2', ops: ['Flatten'], precision: 'exact',
    inputs: { x: x234 },
    build: (b, { x }) => ({ y: b.op.Flatten(x, { axis: 2 }) }),
    reference: ({ x }) => ({ y: reshaped(x, [6, 4]) }),
  }),
  // Squeeze/Unsqueeze axes: attribute up to opset 12, input from 13.
  opCase({
    name: 'Squeeze axes [1, -1], no axes', ops: ['Squeeze'], opsets: [11, 13, 17, 18], precision: 'exact',
    inputs: { x: uniform(62, [2, 1, 3, 1], -2, 2) },
    build: (b, { x }) => ({ y: b.op.Squeeze(x, { axes: [1, -1] }), z: b.op.Squeeze(x) }),
    reference: ({ x }) => ({ y: reshaped(x, [2, 3]), z: reshaped(x, [2, 3]) }),
  }),
  opCase({
    name: 'Unsqueeze axes [0, -1]', ops: ['Unsqueeze'], opsets: [11, 13, 17, 18], precision: 'exact',
    inputs: { x: uniform(63, [2, 3], -2, 2) },
    build: (b, { x }) => ({ y: b.op.Unsqueeze(x, { axes: [0, -1] }) }),
    reference: ({ x }) => ({ y: reshaped(x, [1, 2, 3, 1]) }),
  }),
  opCase({
    name: 'Concat axis -1', ops: ['Concat'], precision: 'exact',
    inputs: { p: uniform(64, [2, 1], -2, 2), q: uniform(65, [2, 3], -2, 2), r: uniform(66, [2, 2], -2, 2) },
    build: (b, { p, q, r }) => ({ y: b.op.Concat(p, q, r, { axis: -1 }) }),
    reference: ({ p, q, r }) => ({ y: concat([p, q, r], 1) }),
  }),
  opCase({
    name: 'Expand [3, 1] to [2, 3, 4]', ops: ['Expand'], precision: 'exact',
    inputs: { x: uniform(67, [3, 1], -2, 2) },
    build: (b, { x }) => ({ y: b.op.Expand(x, b.int64s([2, 1, 4])) }),
    reference: ({ x }) => ({ y: generate('float32', [2, 3, 4], (o) => valuesOf(x)[o[1]!]!) }),
  }),
  opCase({
    name: 'Tile [2, 1]', ops: ['Tile'], precision: 'exact',
    inputs: { x: uniform(68, [2, 3], -2, 2) },
    build: (b, { x }) => ({ y: b.op.Tile(x, b.int64s([2, 1])) }),
    reference: ({ x }) => ({ y: concat([x, x], 0) }),
  }),
];

const x26 = uniform(69, [2, 6], -2, 2);
/** Consecutive slices of `sizes` along axis 1, named y0, y1, … like the Split outputs. */
function parts(t: Tensor, sizes: readonly number[]): Record<string, Tensor> {
  const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((p, q) => p + q, 0));
  return Object.fromEntries(sizes.map((n, k) => [`y${k}`, slice(t, [starts[k]!], [starts[k]! + n], [1], [1])]));
}
const named = (values: readonly Value[]): Record<string, Value> => Object.fromEntries(values.map((v, k) => [`y${k}`, v]));

const SPLITS: OpCase[] = [
  // split sizes: attribute up to opset 12, input from 13.
  opCase({
    name: 'Split sizes [1, 2, 3]', ops: ['Split'], opsets: [11, 13, 17, 18], precision: 'exact',
    inputs: { x: x26 },
    build: (b, { x }) => named(b.op.Split(x, { axis: 1, split: [1, 2, 3] })),
    reference: ({ x }) => parts(x, [1, 2, 3]),
  }),
  // Equal parts by output count; from opset 18 the spec asks for num_outputs (or split) to be given.
  opCase({
    name: 'Split 3 equal parts by output count', ops: ['Split'], opsets: [11, 13, 17, 18], precision: 'exact',
    inputs: { x: x26 },
    build: (b, { x }) => named(b.node('Split', [x], { axis: -1 }, { outputs: 3 })),
    reference: ({ x }) => parts(x, [2, 2, 2]),
  }),
  opCase({
    name: 'Split num_outputs 3 of 7 (last part short)', ops: ['Split'], opsets: [18], precision: 'exact',
    inputs: { x: uniform(70, [2, 7], -2, 2) },
    build: (b, { x }) => named(b.op.Split(x, { axis: 1, num_outputs: 3 })),
    reference: ({ x }) => parts(x, [3, 3, 1]),
  }),
];

const x35 = uniform(71, [3, 5], -2, 2);

const SLICES: OpCase[] = [
  // starts/ends/axes: attributes at opset 9, inputs from 10.
  opCase({
    name: 'Slice starts/ends/axes', ops: ['Slice'], opsets: [9, 10, 17, 18], precision: 'exact',
    inputs: { x: x35 },
    build: (b, { x }) => ({ y: b.op.Slice(x, { starts: [0, 1], ends: [2, 1000], axes: [0, 1] }) }),
    reference: ({ x }) => ({ y: slice(x, [0, 1], [2, 1000], [0, 1], [1, 1]) }),
  }),
  opCase({
    name: 'Slice steps [2, -2]', ops: ['Slice'], opsets: [10, 17, 18], precision: 'exact',
    inputs: { x: x35 },
    build: (b, { x }) => ({ y: b.op.Slice(x, { starts: [0, -1], ends: [3, -1000], axes: [0, 1], steps: [2, -2] }) }),
    reference: ({ x }) => ({ y: slice(x, [0, -1], [3, -1000], [0, 1], [2, -2]) }),
  }),
];

export const SHAPE_CASES: readonly OpCase[] = [...RESHAPES, ...SPLITS, ...SLICES];
