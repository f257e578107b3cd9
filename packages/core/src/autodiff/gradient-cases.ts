// Finite-difference cases: at least one per gradient rule (a test checks it), each small enough to
// perturb element by element. Inputs keep clear of kinks (|x| > 0.05 for Relu/Abs/Max/Clip/MaxPool).
import { distinct, f32, i64, tensor, uniform } from '../conformance/op-case.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { gradCase, type GradCase } from './gradient-check.js';

const x34 = uniform(1, [3, 4], -2, 2);
const y34 = uniform(2, [3, 4], -2, 2);
const pos34 = uniform(3, [3, 4], 0.5, 3);
const kinked = distinct(4, [3, 4], -2, 2); // 12 values 1/3 apart, none within 0.15 of 0
const x234 = uniform(5, [2, 3, 4], -2, 2);
const row4 = uniform(6, [4], -1, 1);
const col31 = uniform(7, [3, 1], -1, 1);

/** onnxruntime's CPU has float32-only kernels for these. */
const FLOAT32_ONLY = new Set(['Softplus', 'Erf', 'Mean', 'Conv', 'MaxPool']);

const unary = (op: string, x = x34) =>
  gradCase({ name: op, ops: [op], inputs: { x }, ...(FLOAT32_ONLY.has(op) ? { type: 'float32' as const } : {}), build: (b, v) => b.node(op, [v.x])[0]! });

/** x through Tile by ones: the same tensor, with a shape that static-shapes.ts does not infer (run-time-only paths). */
const opaque = (b: GraphBuilder, x: Value, rank: number): Value => b.op.Tile(x, b.int64s(Array<number>(rank).fill(1)));

/** A binary op on equal shapes, both broadcast directions, and with shapes known at run time only. */
const binary = (op: string, a = x34, c = row4, e = y34) => [
  gradCase({ name: `${op} same shape`, ops: [op], inputs: { a, e }, build: (b, v) => b.node(op, [v.a, v.e])[0]! }),
  gradCase({ name: `${op} broadcast [3,4]·[4] and [3,1]·[3,4]`, ops: [op], inputs: { a, c, d: col31, e },
    build: (b, v) => b.op.Add(b.node(op, [v.a, v.c])[0]!, b.node(op, [v.d, v.e])[0]!) }),
  // Symbolic batch and an operand of unknown shape: the axes to sum are computed at run time.
  gradCase({ name: `${op} broadcast, shapes known at run time only`, ops: [op], inputs: { a: x234, c: uniform(9, [3, 1], 0.5, 1.5) }, dims: { a: ['batch', 3, 4] },
    build: (b, v) => b.node(op, [opaque(b, v.a, 3), opaque(b, v.c, 2)])[0]! }),
];

const ELEMENTWISE: GradCase[] = [
  unary('Identity'), unary('Neg'), unary('Abs', kinked), unary('Exp'), unary('Log', pos34), unary('Sqrt', pos34),
  unary('Reciprocal', pos34), unary('Relu', kinked), unary('Sigmoid'), unary('Tanh'), unary('Softplus'), unary('Erf'),
  unary('Sin'), unary('Cos'),
  gradCase({ name: 'LeakyRelu', ops: ['LeakyRelu'], inputs: { x: kinked }, build: (b, v) => b.op.LeakyRelu(v.x, { alpha: 0.2 }) }),
  gradCase({ name: 'Clip min and max', ops: ['Clip'], inputs: { x: kinked }, build: (b, v) => b.op.Clip(v.x, -1.1, 0.9) }),
  gradCase({ name: 'Clip min only', ops: ['Clip'], inputs: { x: kinked }, build: (b, v) => b.op.Clip(v.x, -0.4) }),
  gradCase({ name: 'Cast float32 → float64 → float32', ops: ['Cast'], type: 'float32', inputs: { x: x34 },
    build: (b, v) => b.op.Cast(b.op.Mul(b.op.Cast(v.x, { to: 'float64' }), b.op.Cast(v.x, { to: 'float64' })), { to: 'float32' }) }),
  gradCase({ name: 'CastLike float32 → float64 → float32', ops: ['CastLike'], type: 'float32', inputs: { x: x34 },
    build: (b, v) => b.op.CastLike(b.op.Exp(b.op.CastLike(v.x, b.scalar(0, 'float64'))), v.x) }),
  ...binary('Add'), ...binary('Sub'), ...binary('Mul'),
  ...binary('Div', x34, uniform(10, [4], 0.5, 1.5), pos34),
  gradCase({ name: 'Pow, base and exponent', ops: ['Pow'], inputs: { a: pos34, e: uniform(11, [4], 0.5, 2) }, build: (b, v) => b.op.Pow(v.a, v.e) }),
  gradCase({ name: 'Pow by constant 2', ops: ['Pow'], inputs: { a: x34 }, build: (b, v) => b.op.Pow(v.a, 2) }),
  gradCase({ name: 'Max broadcast', ops: ['Max'], inputs: { a: kinked, c: f32([4], [0.1, -0.4, 0.55, 1.2]) }, build: (b, v) => b.op.Max(v.a, v.c) }),
  gradCase({ name: 'Min of three', ops: ['Min'], inputs: { a: kinked, c: f32([4], [0.1, -0.4, 0.55, 1.2]), d: f32([3, 1], [0.25, -0.05, 0.7]) }, build: (b, v) => b.op.Min(v.a, v.c, v.d) }),
  gradCase({ name: 'Sum of three, broadcast', ops: ['Sum'], inputs: { a: x34, c: row4, d: col31 }, build: (b, v) => b.op.Sum(v.a, v.c, v.d) }),
  gradCase({ name: 'Mean of two, broadcast', ops: ['Mean'], type: 'float32', inputs: { a: x34, c: row4 }, build: (b, v) => b.op.Mean(v.a, v.c) }),
  gradCase({ name: 'Where broadcast', ops: ['Where'], inputs: { m: tensor('bool', [3, 1], [1, 0, 1]), a: x34, c: row4 },
    build: (b, v) => b.op.Where(v.m, v.a, v.c) }),
  gradCase({ name: 'a value used twice: x·x + tanh x', ops: ['Mul', 'Add', 'Tanh'], inputs: { x: x34 }, build: (b, v) => b.op.Add(b.op.Mul(v.x, v.x), b.op.Tanh(v.x)) }),
];

const LINEAR: GradCase[] = [
  gradCase({ name: 'MatMul [2,3,4]·[4,5] weight', ops: ['MatMul'], inputs: { a: x234, w: uniform(20, [4, 5], -1, 1) }, dims: { a: ['batch', 'seq', 4] }, build: (b, v) => b.op.MatMul(v.a, v.w) }),
  gradCase({ name: 'MatMul batch broadcast, ranks known', ops: ['MatMul'], inputs: { a: uniform(21, [2, 1, 3, 4], -1, 1), w: uniform(22, [3, 4, 2], -1, 1) }, build: (b, v) => b.op.MatMul(v.a, v.w) }),
  gradCase({ name: 'MatMul, ranks unknown (Einsum)', ops: ['MatMul'], inputs: { a: uniform(23, [2, 2, 3, 4], -1, 1), w: uniform(24, [2, 2, 4, 3], -1, 1) },
    build: (b, v) => b.op.MatMul(opaque(b, v.a, 4), opaque(b, v.w, 4)) }),
  gradCase({ name: 'MatMul 1-D · 2-D', ops: ['MatMul'], inputs: { a: row4, w: uniform(25, [4, 3], -1, 1) }, build: (b, v) => b.op.MatMul(v.a, v.w) }),
  ...[[0, 0], [0, 1], [1, 0], [1, 1]].map(([transA, transB]) => gradCase({
    name: `Gemm transA ${transA} transB ${transB}`, ops: ['Gemm'],
    inputs: { a: uniform(26, transA ? [4, 3] : [3, 4], -1, 1), w: uniform(27, transB ? [5, 4] : [4, 5], -1, 1), c: uniform(28, [5], -1, 1) },
    build: (b, v) => b.op.Gemm(v.a, v.w, v.c, { alpha: 0.7, beta: 1.3, transA: transA!, transB: transB! }),
  })),
  gradCase({ name: 'Gemm bias [3,1]', ops: ['Gemm'], inputs: { a: x34, w: uniform(29, [4, 2], -1, 1), c: col31 }, build: (b, v) => b.op.Gemm(v.a, v.w, v.c) }),
];

const SHAPE: GradCase[] = [
  gradCase({ name: 'Reshape', ops: ['Reshape'], opsets: [17, 18], inputs: { x: x234 }, build: (b, v) => b.op.Mul(b.op.Reshape(v.x, b.int64s([4, -1])), b.op.Reshape(v.x, b.int64s([4, -1]))) }),
  gradCase({ name: 'Flatten axis 2', ops: ['Flatten'], inputs: { x: x234 }, build: (b, v) => b.op.Tanh(b.op.Flatten(v.x, { axis: 2 })) }),
  gradCase({ name: 'Squeeze, Unsqueeze', ops: ['Squeeze', 'Unsqueeze'], opsets: [17, 18], inputs: { x: x34 },
    build: (b, v) => b.op.Squeeze(b.op.Tanh(b.op.Unsqueeze(v.x, { axes: [0, -1] })), { axes: [0] }) }),
  gradCase({ name: 'Transpose [2,0,1]', ops: ['Transpose'], inputs: { x: x234 }, build: (b, v) => b.op.Tanh(b.op.Transpose(v.x, { perm: [2, 0, 1] })) }),
  gradCase({ name: 'Transpose default perm', ops: ['Transpose'], inputs: { x: x234 }, build: (b, v) => b.op.Exp(b.op.Transpose(v.x)) }),
  gradCase({ name: 'Expand', ops: ['Expand'], inputs: { x: col31 }, build: (b, v) => b.op.Expand(v.x, b.int64s([2, 3, 4])) }),
  gradCase({ name: 'Concat axis 1', ops: ['Concat'], inputs: { a: x34, c: col31, d: uniform(31, [3, 2], -1, 1) }, dims: { a: ['n', 4] },
    build: (b, v) => b.op.Concat(v.a, v.c, v.d, { axis: -1 }) }),
  gradCase({ name: 'Split, one part unused', ops: ['Split'], opsets: [17, 18], inputs: { x: x34 },
    build: (b, v) => b.node('Split', [v.x], { axis: 1, split: [1, 2, 1] }, { outputs: 3 })[1]! }),
  gradCase({ name: 'Slice with steps and negative ends', ops: ['Slice'], inputs: { x: x234 },
    build: (b, v) => b.op.Slice(v.x, { starts: [0, -1], ends: [2, -4], axes: [1, 2], steps: [1, -2] }) }),
  gradCase({ name: 'Gather rows, repeated indices', ops: ['Gather'], inputs: { x: x34, i: i64([2, 3], [0, 2, 0, 1, 2, 2]) }, build: (b, v) => b.op.Gather(v.x, v.i, { axis: 0 }) }),
  gradCase({ name: 'Gather axis 1, negative index', ops: ['Gather'], inputs: { x: x34, i: i64([2], [-1, 1]) }, build: (b, v) => b.op.Gather(v.x, v.i, { axis: 1 }) }),
  gradCase({ name: 'GatherElements', ops: ['GatherElements'], inputs: { x: x34, i: i64([2, 4], [2, 0, 1, 1, 0, 0, 2, 1]) }, build: (b, v) => b.op.GatherElements(v.x, v.i, { axis: 0 }) }),
  gradCase({ name: 'GatherND batch_dims 1', ops: ['GatherND'], inputs: { x: x234, i: i64([2, 2, 1], [2, 0, 1, 1]) }, build: (b, v) => b.op.GatherND(v.x, v.i, { batch_dims: 1 }) }),
  gradCase({ name: 'Tile', ops: ['Tile'], inputs: { x: x34 }, build: (b, v) => b.op.Tile(v.x, b.int64s([2, 1])) }),
];

const REDUCE: GradCase[] = [
  gradCase({ name: 'ReduceSum axes [1], keepdims 0', ops: ['ReduceSum'], opsets: [17, 18], inputs: { x: x234 }, build: (b, v) => b.op.ReduceSum(v.x, { axes: [1], keepdims: 0 }) }),
  gradCase({ name: 'ReduceSum all, keepdims 1', ops: ['ReduceSum'], inputs: { x: x234 }, build: (b, v) => b.op.ReduceSum(v.x, { keepdims: 1 }) }),
  gradCase({ name: 'ReduceMean axes [0, -1]', ops: ['ReduceMean'], opsets: [17, 18], inputs: { x: x234 }, dims: { x: ['batch', 3, 4] }, build: (b, v) => b.op.ReduceMean(v.x, { axes: [0, -1], keepdims: 0 }) }),
  // x feeds its own mean: the mean's gradient (an Expand) joins x's other gradient by a broadcasting Sum.
  gradCase({ name: 'normalization by hand: (x − mean x) / √(mean (x − mean x)² + ε), symbolic batch', ops: ['ReduceMean', 'Sub', 'Mul', 'Div', 'Sqrt', 'Add'],
    inputs: { x: x234 }, dims: { x: ['batch', 3, 4] }, build: (b, v) => {
      const centered = b.op.Sub(v.x, b.op.ReduceMean(v.x, { axes: [1, 2], keepdims: 1 }));
      const deviation = b.op.Sqrt(b.op.Add(b.op.ReduceMean(b.op.Mul(centered, centered), { axes: [1, 2], keepdims: 1 }), 1e-5));
      return b.op.Mul(b.op.Div(centered, deviation), v.x);
    } }),
  gradCase({ name: 'Add [batch, seq, 4] + [seq, 4]: a symbolic operand summed over the leading axis', ops: ['Add'],
    inputs: { a: x234, c: y34 }, dims: { a: ['batch', 'seq', 4], c: ['seq', 4] }, build: (b, v) => b.op.Mul(b.op.Add(v.a, v.c), v.a) }),
  gradCase({ name: 'ReduceMax axes [1]', ops: ['ReduceMax'], opsets: [17, 18], inputs: { x: kinked }, build: (b, v) => b.op.ReduceMax(v.x, { axes: [1], keepdims: 0 }) }),
  gradCase({ name: 'ReduceMin all', ops: ['ReduceMin'], opsets: [17, 18], inputs: { x: kinked }, build: (b, v) => b.op.ReduceMin(v.x, { keepdims: 0 }) }),
  gradCase({ name: 'ReduceSumSquare', ops: ['ReduceSumSquare'], inputs: { x: x34 }, build: (b, v) => b.op.ReduceSumSquare(v.x, { axes: [1], keepdims: 1 }) }),
  gradCase({ name: 'ReduceL2', ops: ['ReduceL2'], inputs: { x: x34 }, build: (b, v) => b.op.ReduceL2(v.x, { axes: [0], keepdims: 0 }) }),
  gradCase({ name: 'ReduceLogSumExp', ops: ['ReduceLogSumExp'], inputs: { x: x34 }, build: (b, v) => b.op.ReduceLogSumExp(v.x, { axes: [1], keepdims: 0 }) }),
];

const NN: GradCase[] = [
  gradCase({ name: 'Softmax axis -1', ops: ['Softmax'], inputs: { x: x234 }, build: (b, v) => b.op.Softmax(v.x, { axis: -1 }) }),
  gradCase({ name: 'Softmax axis 1', ops: ['Softmax'], inputs: { x: x234 }, build: (b, v) => b.op.Softmax(v.x, { axis: 1 }) }),
  gradCase({ name: 'LogSoftmax axis -1', ops: ['LogSoftmax'], inputs: { x: x234 }, build: (b, v) => b.op.LogSoftmax(v.x, { axis: -1 }) }),
  gradCase({ name: 'LayerNormalization axis -1', ops: ['LayerNormalization'], inputs: { x: x234, g: uniform(40, [4], 0.5, 1.5), c: row4 }, dims: { x: ['batch', 'seq', 4] },
    build: (b, v) => b.op.LayerNormalization(v.x, v.g, v.c, { axis: -1, epsilon: 1e-5 })[0]! }),
  gradCase({ name: 'LayerNormalization axis 1, no bias', ops: ['LayerNormalization'], inputs: { x: x234, g: uniform(41, [3, 4], 0.5, 1.5) },
    build: (b, v) => b.op.LayerNormalization(v.x, v.g, { axis: 1 })[0]! }),
  gradCase({ name: 'LayerNormalization axis 1 keeping Mean and InvStdDev (the gradient reuses them)', ops: ['LayerNormalization'], type: 'float32',
    inputs: { x: x234, g: uniform(42, [3, 4], 0.5, 1.5), c: uniform(43, [3, 4], -1, 1) }, dims: { x: ['batch', 3, 4] },
    build: (b, v) => b.node('LayerNormalization', [v.x, v.g, v.c], { axis: 1, epsilon: 1e-5 }, { outputs: 3 })[0]! }),
  gradCase({ name: 'Conv stride 1, symbolic batch', ops: ['Conv'], type: 'float32', inputs: { x: uniform(42, [2, 2, 5, 5], -1, 1), w: uniform(43, [3, 2, 3, 3], -1, 1), c: uniform(44, [3], -1, 1) },
    dims: { x: ['batch', 2, 5, 5] }, build: (b, v) => b.op.Conv(v.x, v.w, v.c) }),
  gradCase({ name: 'Conv stride 2, pads 1, dilation 2', ops: ['Conv'], type: 'float32', inputs: { x: uniform(45, [2, 2, 6, 7], -1, 1), w: uniform(46, [3, 2, 2, 2], -1, 1) },
    build: (b, v) => b.op.Conv(v.x, v.w, { strides: [2, 2], pads: [1, 1, 1, 0], dilations: [2, 1] }) }),
  // dw over patches (kernels up to PATCH_LIMIT elements): strides, uneven pads, dilation, non-square kernels, 1-D and 3-D.
  gradCase({ name: 'Conv 2×3 kernel, strides [2, 1], pads [1, 0, 0, 2]', ops: ['Conv'], type: 'float32',
    inputs: { x: uniform(52, [2, 2, 6, 5], -1, 1), w: uniform(53, [3, 2, 2, 3], -1, 1), c: uniform(54, [3], -1, 1) },
    build: (b, v) => b.op.Conv(v.x, v.w, v.c, { strides: [2, 1], pads: [1, 0, 0, 2] }) }),
  gradCase({ name: 'Conv 3×2 kernel, dilations [1, 2], pads 1, sizes known at run time only', ops: ['Conv'], type: 'float32',
    inputs: { x: uniform(55, [2, 2, 5, 6], -1, 1), w: uniform(56, [2, 2, 3, 2], -1, 1) },
    build: (b, v) => b.op.Conv(opaque(b, v.x, 4), v.w, { dilations: [1, 2], pads: [1, 1, 1, 1] }) }),
  gradCase({ name: 'Conv 1-D kernel 3, stride 2, pads [2, 1]', ops: ['Conv'], type: 'float32', inputs: { x: uniform(57, [2, 3, 9], -1, 1), w: uniform(58, [2, 3, 3], -1, 1) },
    build: (b, v) => b.op.Conv(v.x, v.w, { strides: [2], pads: [2, 1] }) }),
  gradCase({ name: 'Conv 3-D 2×2×2, strides [1, 2, 1], pads [0, 1, 0, 1, 0, 0]', ops: ['Conv'], type: 'float32',
    inputs: { x: uniform(59, [1, 2, 3, 4, 3], -1, 1), w: uniform(60, [2, 2, 2, 2, 2], -1, 1) },
    build: (b, v) => b.op.Conv(v.x, v.w, { strides: [1, 2, 1], pads: [0, 1, 0, 1, 0, 0] }) }),
  // dw as a Conv whose kernel is dy: kernels over PATCH_LIMIT elements, and weights of unknown shape.
  gradCase({ name: 'Conv 6×5 kernel (over the patch limit)', ops: ['Conv'], type: 'float32', inputs: { x: uniform(61, [2, 1, 7, 6], -1, 1), w: uniform(62, [2, 1, 6, 5], -1, 1) },
    build: (b, v) => b.op.Conv(v.x, v.w, { pads: [0, 1, 1, 0] }) }),
  gradCase({ name: 'Conv weight shape known at run time only', ops: ['Conv'], type: 'float32', inputs: { x: uniform(63, [2, 2, 5, 5], -1, 1), w: uniform(64, [3, 2, 3, 3], -1, 1) },
    build: (b, v) => b.op.Conv(v.x, opaque(b, v.w, 4), { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }) }),
  gradCase({ name: 'MaxPool 2×2 stride 2', ops: ['MaxPool'], type: 'float32', inputs: { x: distinct(47, [2, 2, 4, 4], -2, 2) },
    build: (b, v) => b.op.MaxPool(v.x, { kernel_shape: [2, 2], strides: [2, 2] })[0]! }),
  gradCase({ name: 'MaxPool 3×3 stride 1, overlapping', ops: ['MaxPool'], type: 'float32', inputs: { x: distinct(48, [1, 2, 4, 4], -2, 2) },
    build: (b, v) => b.op.MaxPool(v.x, { kernel_shape: [3, 3] })[0]! }),
  gradCase({ name: 'MaxPool 2×3 windows, symbolic batch', ops: ['MaxPool'], type: 'float32', inputs: { x: distinct(49, [2, 1, 4, 6], -2, 2) },
    dims: { x: ['batch', 1, 4, 6] }, build: (b, v) => b.op.MaxPool(v.x, { kernel_shape: [2, 3], strides: [2, 3] })[0]! }),
  gradCase({ name: 'MaxPool 2×2 stride 2 on 5×5 (floor: last row and column unused)', ops: ['MaxPool'], type: 'float32', inputs: { x: distinct(50, [1, 1, 5, 5], -2, 2) },
    build: (b, v) => b.op.MaxPool(v.x, { kernel_shape: [2, 2], strides: [2, 2] })[0]! }),
  gradCase({ name: 'MaxPool 1-D kernel 3 stride 3', ops: ['MaxPool'], type: 'float32', inputs: { x: distinct(51, [2, 2, 6], -2, 2) },
    build: (b, v) => b.op.MaxPool(v.x, { kernel_shape: [3], strides: [3] })[0]! }),
  gradCase({ name: 'MaxPool 2×2 stride 2 on 7×6, sizes known at run time only (cropped, then padded back)', ops: ['MaxPool'], type: 'float32',
    inputs: { x: distinct(65, [2, 1, 7, 6], -2, 2) }, build: (b, v) => b.op.MaxPool(opaque(b, v.x, 4), { kernel_shape: [2, 2], strides: [2, 2] })[0]! }),
  gradCase({ name: 'MaxPool 2×2 stride 2 on 4×6, sizes known at run time only (nothing to crop)', ops: ['MaxPool'], type: 'float32',
    inputs: { x: distinct(66, [2, 2, 4, 6], -2, 2) }, build: (b, v) => b.op.MaxPool(opaque(b, v.x, 4), { kernel_shape: [2, 2], strides: [2, 2] })[0]! }),
  gradCase({ name: 'MaxPool 2×2 stride 2, ceil_mode 1 on 5×5 (partial windows)', ops: ['MaxPool'], type: 'float32', inputs: { x: distinct(67, [1, 2, 5, 5], -2, 2) },
    build: (b, v) => b.op.MaxPool(v.x, { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })[0]! }),
];

export const GRADIENT_CASES: readonly GradCase[] = Object.freeze([...ELEMENTWISE, ...LINEAR, ...SHAPE, ...REDUCE, ...NN]);
