// Conformance cases for reductions, arg-reductions, CumSum and TopK. Reduce* axes are attributes
// up to opset 12 (ReduceSum) or 17 (the others) and inputs after, so these run on both sides.
import type { OpType } from '../graph/op-schemas.js';
import type { Tensor } from '../runtime/runtime.js';
import { distinct, f32, opCase, uniform, type OpCase, type Precision } from './op-case.js';
import { alongAxis, logSumExp, maxOf, minOf, reduce, sum } from './reference.js';

interface ReduceSpec {
  fn: (v: number[]) => number;
  precision: Precision;
  x?: Tensor;
}

const REDUCE: Partial<Record<OpType, ReduceSpec>> = {
  ReduceSum: { fn: sum, precision: 'sum' },
  ReduceMean: { fn: (v) => sum(v) / v.length, precision: 'sum' },
  ReduceMax: { fn: (v) => maxOf(v), precision: 'exact' },
  ReduceMin: { fn: (v) => minOf(v), precision: 'exact' },
  // Factors near 1 keep the product far from overflow and underflow.
  ReduceProd: { fn: (v) => v.reduce((p, x) => p * x, 1), precision: 'sum', x: uniform(52, [2, 3, 4], 0.5, 1.5) },
  ReduceL1: { fn: (v) => sum(v.map(Math.abs)), precision: 'sum' },
  ReduceL2: { fn: (v) => Math.sqrt(sum(v.map((x) => x * x))), precision: 'sum' },
  ReduceSumSquare: { fn: (v) => sum(v.map((x) => x * x)), precision: 'sum' },
  ReduceLogSumExp: { fn: logSumExp, precision: 'math' },
};

const x3 = uniform(51, [2, 3, 4], -2, 2);

/** The opsets where the axes form changes: attribute before it moved to an input, input after. */
function reduceOpsets(op: OpType): number[] {
  return op === 'ReduceSum' ? [11, 13, 17, 18] : [11, 17, 18];
}

/**
 * Reducing all axes (no axes at all) runs for ReduceSum and ReduceMean at every form; the other ops
 * share that code path in each runtime, so they take it at opset 18 only (it is WebGPU's slowest shader).
 */
function allAxesOpsets(op: OpType): number[] {
  return op === 'ReduceSum' || op === 'ReduceMean' ? reduceOpsets(op) : [18];
}

function reduceCases(op: OpType, spec: ReduceSpec): OpCase[] {
  const x = spec.x ?? x3;
  const variants: [string, number[], number, number[]][] = [
    ['axes [1] keepdims', [1], 1, reduceOpsets(op)],
    ['axes [0, -1]', [0, -1], 0, reduceOpsets(op)],
    ['all axes', [], 0, allAxesOpsets(op)],
  ];
  return variants.map(([label, axes, keepdims, opsets]) => opCase({
    name: `${op} ${label}`, ops: [op], opsets, precision: spec.precision,
    inputs: { x },
    build: (b, v) => ({ y: b.node(op, [v.x], axes.length > 0 ? { axes, keepdims } : { keepdims })[0]! }),
    reference: (v) => ({ y: reduce(v.x, axes, keepdims === 1, spec.fn) }),
  }));
}

/** Without axes, noop_with_empty_axes=1 makes a reduction the identity (opset 13 for ReduceSum, 18 for the rest). */
const NOOP_CASES: OpCase[] = [
  opCase({
    name: 'ReduceSum noop_with_empty_axes', ops: ['ReduceSum'], opsets: [13, 17, 18], precision: 'exact',
    inputs: { x: x3 },
    build: (b, { x }) => ({ y: b.op.ReduceSum(x, { noop_with_empty_axes: 1 }) }),
    reference: ({ x }) => ({ y: x }),
  }),
  opCase({
    name: 'ReduceMax noop_with_empty_axes', ops: ['ReduceMax'], opsets: [18], precision: 'exact',
    inputs: { x: x3 },
    build: (b, { x }) => ({ y: b.op.ReduceMax(x, { noop_with_empty_axes: 1 }) }),
    reference: ({ x }) => ({ y: x }),
  }),
];

const argmax = (v: number[]): number => v.indexOf(maxOf(v));
const argmin = (v: number[]): number => v.indexOf(minOf(v));
const lastIndex = (v: number[], target: number): number => v.lastIndexOf(target);
const spread = distinct(53, [3, 4], -3, 3);
// Integers stored as floats with repeated extremes (columns 0–2 for max, rows 0–1 for min): first and last index differ.
const ties = f32([3, 4], [2, 0, 0, 5, 2, 1, 4, 1, 0, 1, 4, -1]);

const ARG_CASES: OpCase[] = [
  opCase({
    name: 'ArgMax axis -1, ArgMin axis 0', ops: ['ArgMax', 'ArgMin'], opsets: [11, 17, 18], precision: 'exact',
    inputs: { x: spread },
    build: (b, { x }) => ({ i: b.op.ArgMax(x, { axis: -1, keepdims: 0 }), j: b.op.ArgMin(x, { axis: 0, keepdims: 1 }) }),
    reference: ({ x }) => ({ i: reduce(x, [-1], false, argmax, 'int64'), j: reduce(x, [0], true, argmin, 'int64') }),
  }),
  opCase({
    name: 'ArgMax/ArgMin select_last_index on ties', ops: ['ArgMax', 'ArgMin'], opsets: [12, 17, 18], precision: 'exact',
    inputs: { x: ties },
    build: (b, { x }) => ({
      i: b.op.ArgMax(x, { axis: 0, keepdims: 0, select_last_index: 1 }),
      j: b.op.ArgMin(x, { axis: 1, keepdims: 1, select_last_index: 1 }),
      k: b.op.ArgMax(x, { axis: 0, keepdims: 0, select_last_index: 0 }),
    }),
    reference: ({ x }) => ({
      i: reduce(x, [0], false, (v) => lastIndex(v, maxOf(v)), 'int64'),
      j: reduce(x, [1], true, (v) => lastIndex(v, minOf(v)), 'int64'),
      k: reduce(x, [0], false, argmax, 'int64'),
    }),
  }),
];

function cumsum(fiber: number[], exclusive: boolean, reverse: boolean): number[] {
  const order = reverse ? [...fiber].reverse() : fiber;
  let total = 0;
  const out = order.map((v) => {
    const before = total;
    total += v;
    return exclusive ? before : total;
  });
  return reverse ? out.reverse() : out;
}

const CUMSUM_CASES: OpCase[] = [false, true].map((flags) => opCase({
  name: `CumSum axis 1${flags ? ' exclusive reverse' : ''}`, ops: ['CumSum'], precision: 'sum',
  inputs: { x: uniform(54, [2, 5], -2, 2) },
  build: (b, { x }) => ({ y: b.op.CumSum(x, b.scalar(1, 'int64'), flags ? { exclusive: 1, reverse: 1 } : {}) }),
  reference: ({ x }) => ({ y: alongAxis(x, 1, (f) => cumsum(f, flags, flags)) }),
}));

function topK(x: Tensor, k: number, axis: number, largest: boolean): Record<string, Tensor> {
  const order = (f: number[]) => f.map((_, i) => i).sort((p, q) => (largest ? f[q]! - f[p]! : f[p]! - f[q]!)).slice(0, k);
  return {
    values: alongAxis(x, axis, (f) => order(f).map((i) => f[i]!)),
    indices: alongAxis(x, axis, order, 'int64'),
  };
}

const TOPK_CASES: OpCase[] = [
  // k is an attribute at opset 9, a 1-element input from 10; largest and sorted exist from 11.
  opCase({
    name: 'TopK k=2 largest axis -1', ops: ['TopK'], opsets: [9, 10, 11, 17, 18], precision: 'exact',
    inputs: { x: distinct(55, [3, 5], -2, 2) },
    build: (b, { x }) => {
      const [values, indices] = b.op.TopK(x, { k: 2, axis: -1 });
      return { values: values!, indices: indices! };
    },
    reference: ({ x }) => topK(x, 2, -1, true),
  }),
  opCase({
    name: 'TopK k=3 smallest axis 0', ops: ['TopK'], opsets: [11, 17, 18], precision: 'exact',
    inputs: { x: distinct(56, [4, 3], -2, 2) },
    build: (b, { x }) => {
      const [values, indices] = b.op.TopK(x, { k: 3, axis: 0, largest: 0, sorted: 1 });
      return { values: values!, indices: indices! };
    },
    reference: ({ x }) => topK(x, 3, 0, false),
  }),
];

export const REDUCE_CASES: readonly OpCase[] = [
  ...Object.entries(REDUCE).flatMap(([op, spec]) => reduceCases(op as OpType, spec)),
  ...NOOP_CASES,
  ...ARG_CASES,
  ...CUMSUM_CASES,
  ...TOPK_CASES,
];
