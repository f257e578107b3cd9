// Conformance cases for matrix products and normalization layers: MatMul, Gemm, Einsum,
// Softmax, LogSoftmax, LayerNormalization, BatchNormalization.
import type { Tensor } from '../runtime/runtime.js';
import { opCase, uniform, type OpCase } from './op-case.js';
import { alongAxis, elementwise, generate, logSumExp, ravel, reduce, sum, valuesOf } from './reference.js';

/** Batched matrix product of [.., m, k] × [k, n] (or × [k] for a vector), the batch on the left only. */
function matmul(a: Tensor, b: Tensor, transB = false): Tensor {
  const [k, n] = b.dims.length === 1 ? [b.dims[0]!, 1] : transB ? [b.dims[1]!, b.dims[0]!] : [b.dims[0]!, b.dims[1]!];
  const m = a.dims[a.dims.length - 2]!;
  const batch = a.dims.slice(0, -2);
  const av = valuesOf(a);
  const bv = valuesOf(b);
  const at = (j: number, c: number) => bv[transB ? c * k + j : j * n + c]!;
  const dims = b.dims.length === 1 ? [...batch, m] : [...batch, m, n];
  return generate('float32', dims, (o) => {
    const c = b.dims.length === 1 ? 0 : o[o.length - 1]!;
    const r = o[b.dims.length === 1 ? o.length - 1 : o.length - 2]!;
    const base = (ravel(o.slice(0, batch.length), batch) * m + r) * k;
    return sum(Array.from({ length: k }, (_, j) => av[base + j]! * at(j, c)));
  });
}

const transpose2 = (t: Tensor): Tensor => generate(t.type, [t.dims[1]!, t.dims[0]!], ([r, c]) => valuesOf(t)[c! * t.dims[1]! + r!]!);

const PRODUCTS: OpCase[] = [
  opCase({
    name: 'MatMul batched and matrix-vector', ops: ['MatMul'], precision: 'sum',
    inputs: { a: uniform(91, [2, 3, 4], -1, 1), w: uniform(92, [4, 5], -1, 1), v: uniform(93, [4], -1, 1) },
    build: (b, { a, w, v }) => ({ y: b.op.MatMul(a, w), z: b.op.MatMul(a, v) }),
    reference: ({ a, w, v }) => ({ y: matmul(a, w), z: matmul(a, v) }),
  }),
  opCase({
    name: 'Gemm transA transB alpha beta, no C', ops: ['Gemm'], opsets: [11, 17], precision: 'sum',
    inputs: { a: uniform(94, [3, 2], -1, 1), w: uniform(95, [4, 3], -1, 1), c: uniform(96, [4], -1, 1) },
    build: (b, { a, w, c }) => ({
      y: b.op.Gemm(a, w, c, { transA: 1, transB: 1, alpha: 0.5, beta: 2 }),
      z: b.op.Gemm(a, w, { transA: 1, transB: 1 }),
    }),
    reference: ({ a, w, c }) => {
      const z = matmul(transpose2(a), w, true);
      return { y: elementwise('float32', [z, c], (p, q) => 0.5 * p + 2 * q), z };
    },
  }),
  opCase({
    name: 'Einsum bij,bkj->bik', ops: ['Einsum'], precision: 'sum',
    inputs: { a: uniform(97, [2, 3, 4], -1, 1), c: uniform(98, [2, 5, 4], -1, 1) },
    build: (b, { a, c }) => ({ y: b.op.Einsum(a, c, { equation: 'bij,bkj->bik' }) }),
    reference: ({ a, c }) => ({
      y: generate('float32', [2, 3, 5], ([p, i, k]) => sum([0, 1, 2, 3].map((j) => valuesOf(a)[ravel([p!, i!, j], a.dims)]! * valuesOf(c)[ravel([p!, k!, j], c.dims)]!))),
    }),
  }),
];

const softmax = (f: number[]): number[] => f.map((v) => Math.exp(v - logSumExp(f)));
const logSoftmax = (f: number[]): number[] => f.map((v) => v - logSumExp(f));
const x234 = uniform(99, [2, 3, 4], -3, 3);

const SOFTMAX: OpCase[] = [
  // Before opset 13 Softmax coerces its input to 2-D at `axis`; on the last axis both meanings agree.
  opCase({
    name: 'Softmax, LogSoftmax axis -1', ops: ['Softmax', 'LogSoftmax'], opsets: [11, 13, 17, 18], precision: 'sum',
    inputs: { x: x234 },
    build: (b, { x }) => ({ y: b.op.Softmax(x, { axis: -1 }), z: b.op.LogSoftmax(x, { axis: -1 }) }),
    reference: ({ x }) => ({ y: alongAxis(x, -1, softmax), z: alongAxis(x, -1, logSoftmax) }),
  }),
  opCase({
    name: 'Softmax, LogSoftmax axis 1', ops: ['Softmax', 'LogSoftmax'], opsets: [13, 17, 18], precision: 'sum',
    inputs: { x: x234 },
    build: (b, { x }) => ({ y: b.op.Softmax(x, { axis: 1 }), z: b.op.LogSoftmax(x, { axis: 1 }) }),
    reference: ({ x }) => ({ y: alongAxis(x, 1, softmax), z: alongAxis(x, 1, logSoftmax) }),
  }),
  // No axis given: the builder's op.Softmax(x) must mean the last axis at every opset it accepts.
  opCase({
    name: 'Softmax, LogSoftmax default axis on rank 3', ops: ['Softmax', 'LogSoftmax'], opsets: [11, 13, 17, 18], precision: 'sum',
    inputs: { x: x234 },
    build: (b, { x }) => ({ y: b.op.Softmax(x), z: b.op.LogSoftmax(x) }),
    reference: ({ x }) => ({ y: alongAxis(x, -1, softmax), z: alongAxis(x, -1, logSoftmax) }),
  }),
];

/** LayerNormalization over the axes from `axis` on: Y, Mean and InvStdDev (population variance). */
function layerNorm(x: Tensor, scale: Tensor, bias: Tensor, axis: number, epsilon: number): Record<string, Tensor> {
  const axes = x.dims.map((_, i) => i).slice(axis);
  const meanOf = (v: number[]) => sum(v) / v.length;
  const mean = reduce(x, axes, true, meanOf);
  const variance = reduce(x, axes, true, (v) => meanOf(v.map((p) => (p - meanOf(v)) ** 2)));
  const eps = Math.fround(epsilon);
  return {
    y: elementwise('float32', [x, mean, variance, scale, bias], (p, m, s, g, c) => ((p - m) / Math.sqrt(s + eps)) * g + c),
    mean,
    inv: elementwise('float32', [variance], (s) => 1 / Math.sqrt(s + eps)),
  };
}

const NORMS: OpCase[] = [
  opCase({
    name: 'LayerNormalization axis -1', ops: ['LayerNormalization'], opsets: [17, 18], precision: 'sum',
    inputs: { x: x234, g: uniform(100, [4], 0.5, 1.5), c: uniform(101, [4], -1, 1) },
    build: (b, { x, g, c }) => ({ y: b.op.LayerNormalization(x, g, c, { axis: -1, epsilon: 1e-5 })[0]! }),
    reference: ({ x, g, c }) => ({ y: layerNorm(x, g, c, 2, 1e-5).y! }),
  }),
  opCase({
    name: 'LayerNormalization axis 1 with Mean and InvStdDev', ops: ['LayerNormalization'], opsets: [17, 18], precision: 'sum',
    inputs: { x: x234, g: uniform(102, [3, 4], 0.5, 1.5), c: uniform(103, [3, 4], -1, 1) },
    build: (b, { x, g, c }) => {
      const [y, mean, inv] = b.node('LayerNormalization', [x, g, c], { axis: 1, epsilon: 1e-3 }, { outputs: 3 });
      return { y: y!, mean: mean!, inv: inv! };
    },
    reference: ({ x, g, c }) => layerNorm(x, g, c, 1, 1e-3),
  }),
  opCase({
    name: 'BatchNormalization inference', ops: ['BatchNormalization'], opsets: [15, 17, 18], precision: 'sum',
    inputs: {
      x: uniform(104, [2, 3, 2, 2], -2, 2), g: uniform(105, [3], 0.5, 1.5), c: uniform(106, [3], -1, 1),
      mean: uniform(107, [3], -0.5, 0.5), variance: uniform(108, [3], 0.5, 2),
    },
    build: (b, v) => ({ y: b.op.BatchNormalization(v.x, v.g, v.c, v.mean, v.variance, { epsilon: 1e-5 })[0]! }),
    reference: (v) => {
      const perChannel = (t: Tensor) => ({ ...t, dims: [3, 1, 1] });
      const params = [v.mean, v.variance, v.g, v.c].map(perChannel);
      return { y: elementwise('float32', [v.x, ...params], (p, m, s, g, c) => ((p - m) / Math.sqrt(s + Math.fround(1e-5))) * g + c) };
    },
  }),
];

export const NN_CASES: readonly OpCase[] = [...PRODUCTS, ...SOFTMAX, ...NORMS];
