// Conformance cases for indexing ops (gathers, scatters, one-hot, triangles) and for ops that
// make tensors from shapes (Shape, Size, ConstantOfShape, Range, Constant). All compare exactly.
import type { Tensor } from '../runtime/runtime.js';
import { f32, i64, opCase, tensor, uniform, type OpCase } from './op-case.js';
import { generate, normalizeAxis, ravel, unravel, valuesOf } from './reference.js';

const x34 = uniform(81, [3, 4], -2, 2);
const x234 = uniform(82, [2, 3, 4], -2, 2);

function gather(data: Tensor, indices: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, data.dims.length);
  const n = indices.dims.length;
  const v = valuesOf(data);
  const idx = valuesOf(indices);
  const dims = [...data.dims.slice(0, a), ...indices.dims, ...data.dims.slice(a + 1)];
  return generate(data.type, dims, (o) => {
    const i = idx[ravel(o.slice(a, a + n), indices.dims)]!;
    return v[ravel([...o.slice(0, a), i < 0 ? i + data.dims[a]! : i, ...o.slice(a + n)], data.dims)]!;
  });
}

/** Where out[o] reads from for the Elements ops: o with its `axis` coordinate replaced by the index there. */
function elementIndex(o: readonly number[], axis: number, index: number, dims: readonly number[]): number {
  return ravel(o.map((x, k) => (k === axis ? (index < 0 ? index + dims[axis]! : index) : x)), dims);
}

function scatterElements(data: Tensor, indices: Tensor, updates: Tensor, axis: number, combine: (old: number, u: number) => number): Tensor {
  const out = valuesOf(data);
  const idx = valuesOf(indices);
  valuesOf(updates).forEach((u, flat) => {
    const o = unravel(flat, indices.dims);
    const target = elementIndex(o, axis, idx[flat]!, data.dims);
    out[target] = combine(out[target]!, u);
  });
  return tensor(data.type, data.dims, out);
}

const GATHERS: OpCase[] = [
  opCase({
    name: 'Gather axis 1, negative index', ops: ['Gather'], precision: 'exact',
    inputs: { x: x34, i: i64([2, 2], [0, 3, -1, 1]), j: i64([3], [2, -3, 1]) },
    build: (b, { x, i, j }) => ({ y: b.op.Gather(x, i, { axis: 1 }), z: b.op.Gather(x, j, { axis: 0 }) }),
    reference: ({ x, i, j }) => ({ y: gather(x, i, 1), z: gather(x, j, 0) }),
  }),
  opCase({
    name: 'GatherElements axis 0', ops: ['GatherElements'], precision: 'exact',
    inputs: { x: x34, i: i64([2, 4], [2, 0, 1, -1, 0, 0, 2, 1]) },
    build: (b, { x, i }) => ({ y: b.op.GatherElements(x, i, { axis: 0 }) }),
    reference: ({ x, i }) => ({ y: generate('float32', i.dims, (o) => valuesOf(x)[elementIndex(o, 0, valuesOf(i)[ravel(o, i.dims)]!, x.dims)]!) }),
  }),
  opCase({
    name: 'GatherND', ops: ['GatherND'], opsets: [11, 17, 18], precision: 'exact',
    inputs: { x: x234, i: i64([3, 2], [1, 2, 0, 0, 1, -3]) },
    build: (b, { x, i }) => ({ y: b.op.GatherND(x, i) }),
    reference: ({ x }) => ({ y: generate('float32', [3, 4], ([r, c]) => valuesOf(x)[ravel([[1, 0, 1][r!]!, [2, 0, 0][r!]!, c!], x.dims)]!) }),
  }),
  // batch_dims (opset 12): row b of the indices indexes batch b of the data.
  opCase({
    name: 'GatherND batch_dims 1', ops: ['GatherND'], opsets: [12, 17, 18], precision: 'exact',
    inputs: { x: x234, i: i64([2, 2, 1], [2, 0, 1, 1]) },
    build: (b, { x, i }) => ({ y: b.op.GatherND(x, i, { batch_dims: 1 }) }),
    reference: ({ x, i }) => ({ y: generate('float32', [2, 2, 4], ([p, k, c]) => valuesOf(x)[ravel([p!, valuesOf(i)[p! * 2 + k!]!, c!], x.dims)]!) }),
  }),
];

// Quarter-integers: adds of a few of them are exact in float32, whatever the order.
const quarters = (seed: number, dims: number[]): Tensor => f32(dims, valuesOf(uniform(seed, dims, -8, 8)).map((v) => Math.round(v * 4) / 4));
const grid = quarters(83, [3, 3]);
const rows = quarters(84, [2, 3]);

const SCATTERS: OpCase[] = [
  opCase({
    name: 'ScatterElements axis 0', ops: ['ScatterElements'], opsets: [11, 17, 18], precision: 'exact',
    inputs: { x: grid, i: i64([2, 3], [1, 0, 2, 0, 2, -2]), u: rows },
    build: (b, { x, i, u }) => ({ y: b.op.ScatterElements(x, i, u, { axis: 0 }) }),
    reference: ({ x, i, u }) => ({ y: scatterElements(x, i, u, 0, (_, v) => v) }),
  }),
  // reduction: 'add' and 'mul' from opset 16, 'max' and 'min' from 18; repeated indices accumulate.
  opCase({
    name: 'ScatterElements reduction add', ops: ['ScatterElements'], opsets: [16, 17, 18], precision: 'exact',
    inputs: { x: grid, i: i64([2, 3], [1, 1, 2, 1, 2, 2]), u: rows },
    build: (b, { x, i, u }) => ({ y: b.op.ScatterElements(x, i, u, { axis: 0, reduction: 'add' }) }),
    reference: ({ x, i, u }) => ({ y: scatterElements(x, i, u, 0, (p, q) => p + q) }),
  }),
  opCase({
    name: 'ScatterElements reduction max', ops: ['ScatterElements'], opsets: [18], precision: 'exact',
    inputs: { x: grid, i: i64([2, 3], [1, 1, 2, 1, 2, 2]), u: rows },
    build: (b, { x, i, u }) => ({ y: b.op.ScatterElements(x, i, u, { axis: 0, reduction: 'max' }) }),
    reference: ({ x, i, u }) => ({ y: scatterElements(x, i, u, 0, Math.max) }),
  }),
  opCase({
    name: 'ScatterND rows', ops: ['ScatterND'], opsets: [11, 17, 18], precision: 'exact',
    inputs: { x: grid, i: i64([2, 1], [2, 0]), u: rows },
    build: (b, { x, i, u }) => ({ y: b.op.ScatterND(x, i, u) }),
    reference: ({ x, u }) => ({ y: generate('float32', [3, 3], ([r, c]) => (r === 1 ? valuesOf(x)[3 + c!]! : valuesOf(u)[(r === 2 ? 0 : 3) + c!]!)) }),
  }),
  opCase({
    name: 'ScatterND reduction add', ops: ['ScatterND'], opsets: [16, 17, 18], precision: 'exact',
    inputs: { x: grid, i: i64([2, 1], [1, 1]), u: rows },
    build: (b, { x, i, u }) => ({ y: b.op.ScatterND(x, i, u, { reduction: 'add' }) }),
    reference: ({ x, u }) => ({ y: generate('float32', [3, 3], ([r, c]) => valuesOf(x)[r! * 3 + c!]! + (r === 1 ? valuesOf(u)[c!]! + valuesOf(u)[3 + c!]! : 0)) }),
  }),
];

const SHAPES: OpCase[] = [
  // start/end (opset 15) slice the shape.
  opCase({
    name: 'Shape, Size', ops: ['Shape', 'Size'], opsets: [11, 17, 18], precision: 'exact',
    inputs: { x: x234 },
    build: (b, { x }) => ({ s: b.op.Shape(x), n: b.op.Size(x) }),
    reference: () => ({ s: i64([3], [2, 3, 4]), n: i64([], [24]) }),
  }),
  opCase({
    name: 'Shape start/end', ops: ['Shape'], opsets: [15, 17, 18], precision: 'exact',
    inputs: { x: x234 },
    build: (b, { x }) => ({ s: b.op.Shape(x, { start: 1 }), t: b.op.Shape(x, { start: -2, end: -1 }) }),
    reference: () => ({ s: i64([2], [3, 4]), t: i64([1], [3]) }),
  }),
  opCase({
    name: 'ConstantOfShape float32, int64, default', ops: ['ConstantOfShape'], precision: 'exact',
    inputs: { shape: i64([2], [2, 3]) },
    build: (b, { shape }) => ({
      f: b.op.ConstantOfShape(shape, { value: { type: 'float32', dims: [1], data: Float32Array.of(2.5) } }),
      n: b.op.ConstantOfShape(shape, { value: { type: 'int64', dims: [1], data: BigInt64Array.of(-7n) } }),
      z: b.op.ConstantOfShape(shape),
    }),
    reference: () => ({ f: f32([2, 3], Array(6).fill(2.5)), n: i64([2, 3], Array(6).fill(-7)), z: f32([2, 3], Array(6).fill(0)) }),
  }),
  opCase({
    name: 'Range float32 and int64', ops: ['Range'], precision: 'exact',
    inputs: { start: f32([], [1]), limit: f32([], [4]), delta: f32([], [0.5]), from: i64([], [10]), to: i64([], [2]), by: i64([], [-3]) },
    build: (b, v) => ({ f: b.op.Range(v.start, v.limit, v.delta), n: b.op.Range(v.from, v.to, v.by) }),
    reference: () => ({ f: f32([6], [1, 1.5, 2, 2.5, 3, 3.5]), n: i64([3], [10, 7, 4]) }),
  }),
  // Indices of the nonzero elements, one row per axis, in row-major order (autodiff computes reduction axes with it).
  opCase({
    name: 'NonZero', ops: ['NonZero'], precision: 'exact',
    inputs: { x: f32([2, 3], [0, 1.5, 0, -2, 0, 3]), n: i64([4], [1, 0, 0, 1]) },
    build: (b, { x, n }) => ({ y: b.op.NonZero(x), z: b.op.NonZero(n) }),
    reference: () => ({ y: i64([2, 3], [0, 1, 1, 1, 0, 2]), z: i64([1, 2], [0, 3]) }),
  }),
  opCase({
    name: 'Constant', ops: ['Constant'], precision: 'exact',
    inputs: {},
    build: (b) => ({ f: b.constant({ type: 'float32', dims: [2, 2], data: Float32Array.of(1.5, -2, 0.25, 8) }), n: b.int64s([3, -1]) }),
    reference: () => ({ f: f32([2, 2], [1.5, -2, 0.25, 8]), n: i64([2], [3, -1]) }),
  }),
];

const OTHER: OpCase[] = [
  opCase({
    name: 'OneHot axis -1 and 0, negative index', ops: ['OneHot'], precision: 'exact',
    inputs: { i: i64([4], [0, 2, -1, 1]), values: f32([2], [-1, 5]) },
    build: (b, { i, values }) => {
      const depth = b.scalar(3, 'int64');
      return { y: b.op.OneHot(i, depth, values, { axis: -1 }), z: b.op.OneHot(i, depth, values, { axis: 0 }) };
    },
    reference: () => {
      const hot = [0, 2, 2, 1];
      return { y: generate('float32', [4, 3], ([r, c]) => (hot[r!] === c ? 5 : -1)), z: generate('float32', [3, 4], ([c, r]) => (hot[r!] === c ? 5 : -1)) };
    },
  }),
  opCase({
    name: 'Trilu upper k=1, lower k=-1', ops: ['Trilu'], precision: 'exact',
    inputs: { x: x34 },
    build: (b, { x }) => ({ u: b.op.Trilu(x, b.scalar(1, 'int64'), { upper: 1 }), l: b.op.Trilu(x, b.scalar(-1, 'int64'), { upper: 0 }) }),
    reference: ({ x }) => ({
      u: generate('float32', [3, 4], ([r, c]) => (c! - r! >= 1 ? valuesOf(x)[r! * 4 + c!]! : 0)),
      l: generate('float32', [3, 4], ([r, c]) => (c! - r! <= -1 ? valuesOf(x)[r! * 4 + c!]! : 0)),
    }),
  }),
];

export const INDEX_CASES: readonly OpCase[] = [...GATHERS, ...SCATTERS, ...SHAPES, ...OTHER];
