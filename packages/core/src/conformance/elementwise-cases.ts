// Conformance cases for elementwise ops: one input, broadcasting binary and variadic ops,
// comparisons and logic, casts. Inputs stay inside each op's well-conditioned domain.
import type { OpType } from '../graph/op-schemas.js';
import type { Tensor } from '../runtime/runtime.js';
import { f32, i64, integers, opCase, tensor, uniform, type OpCase, type Precision } from './op-case.js';
import { elementwise } from './reference.js';

interface UnarySpec {
  fn: (x: number) => number;
  precision: Precision;
  x?: Tensor;
  attrs?: Record<string, unknown>;
}

const signed = uniform(11, [3, 4], -3, 3);
const positive = uniform(12, [3, 4], 0.1, 5);

/** erf by its Maclaurin series: exact to ~1e-12 on the |x| ≤ 3 that cases use. */
function erf(x: number): number {
  let term = x;
  let total = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    total += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * total;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const UNARY: Partial<Record<OpType, UnarySpec>> = {
  Abs: { fn: Math.abs, precision: 'exact' },
  Neg: { fn: (x) => -x, precision: 'exact' },
  Exp: { fn: Math.exp, precision: 'math' },
  Log: { fn: Math.log, precision: 'math', x: positive },
  Sqrt: { fn: Math.sqrt, precision: 'rounded', x: positive },
  Reciprocal: { fn: (x) => 1 / x, precision: 'rounded', x: positive },
  Floor: { fn: Math.floor, precision: 'exact' },
  Ceil: { fn: Math.ceil, precision: 'exact' },
  Relu: { fn: (x) => Math.max(x, 0), precision: 'exact' },
  Sigmoid: { fn: (x) => 1 / (1 + Math.exp(-x)), precision: 'math' },
  Tanh: { fn: Math.tanh, precision: 'math' },
  Softplus: { fn: (x) => Math.log1p(Math.exp(x)), precision: 'math' },
  Erf: { fn: erf, precision: 'math' },
  Sign: { fn: Math.sign, precision: 'exact', x: f32([2, 4], [-2.5, -1e-3, 0, 0.75, 3, -0, 1e-3, -7]) },
  Sin: { fn: Math.sin, precision: 'trig', x: uniform(13, [3, 4], -Math.PI, Math.PI) },
  Cos: { fn: Math.cos, precision: 'trig', x: uniform(14, [3, 4], -Math.PI, Math.PI) },
  Round: { fn: roundHalfEven, precision: 'exact', x: f32([2, 5], [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, -0.6, 2.51, -3.49]) },
  Identity: { fn: (x) => x, precision: 'exact' },
  LeakyRelu: { fn: (x) => (x < 0 ? Math.fround(0.1) * x : x), precision: 'rounded', attrs: { alpha: 0.1 } },
  Elu: { fn: (x) => (x < 0 ? 0.5 * Math.expm1(x) : x), precision: 'math', attrs: { alpha: 0.5 } },
};

function unaryCase(op: OpType, spec: UnarySpec): OpCase {
  return opCase({
    name: op, ops: [op], precision: spec.precision,
    inputs: { x: spec.x ?? signed },
    build: (b, { x }) => ({ y: b.node(op, [x], spec.attrs)[0]! }),
    reference: ({ x }) => ({ y: elementwise('float32', [x], spec.fn) }),
  });
}

const clamp = (lo: number, hi: number) => (x: number): number => Math.min(Math.max(x, lo), hi);

const UNARY_OTHER: OpCase[] = [
  opCase({
    name: 'IsNaN', ops: ['IsNaN'], precision: 'exact',
    inputs: { x: f32([6], [1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -2]) },
    build: (b, { x }) => ({ y: b.op.IsNaN(x) }),
    reference: ({ x }) => ({ y: elementwise('bool', [x], (v) => Number(Number.isNaN(v))) }),
  }),
  opCase({
    name: 'Not', ops: ['Not'], precision: 'exact',
    inputs: { x: tensor('bool', [2, 3], [1, 0, 0, 1, 1, 0]) },
    build: (b, { x }) => ({ y: b.op.Not(x) }),
    reference: ({ x }) => ({ y: elementwise('bool', [x], (v) => Number(!v)) }),
  }),
  // Clip's min and max are attributes before opset 11 and scalar inputs from 11 on.
  opCase({
    name: 'Clip min max', ops: ['Clip'], opsets: [10, 11, 17, 18], precision: 'exact',
    inputs: { x: signed },
    build: (b, { x }) => ({ y: b.op.Clip(x, { min: -0.5, max: 0.8 }) }),
    reference: ({ x }) => ({ y: elementwise('float32', [x], clamp(-0.5, 0.8)) }),
  }),
  // Only max: from opset 11 the min input is left empty ('').
  opCase({
    name: 'Clip max only', ops: ['Clip'], opsets: [10, 17, 18], precision: 'exact',
    inputs: { x: signed },
    build: (b, { x }) => ({ y: b.op.Clip(x, { max: 1 }) }),
    reference: ({ x }) => ({ y: elementwise('float32', [x], clamp(-Infinity, 1)) }),
  }),
  opCase({
    name: 'Clip int64', ops: ['Clip'], precision: 'exact',
    inputs: { x: integers(15, 'int64', [2, 5], -9, 9) },
    build: (b, { x }) => ({ y: b.op.Clip(x, { min: -3, max: 4 }) }),
    reference: ({ x }) => ({ y: elementwise('int64', [x], clamp(-3, 4)) }),
  }),
  opCase({
    name: 'Cast float32→int32 (truncates)', ops: ['Cast'], precision: 'exact',
    inputs: { x: f32([2, 4], [-2.7, -1.2, -0.5, 0, 0.5, 1.9, 2.2, 7.99]) },
    build: (b, { x }) => ({ y: b.op.Cast(x, { to: 'int32' }) }),
    reference: ({ x }) => ({ y: elementwise('int32', [x], Math.trunc) }),
  }),
  opCase({
    name: 'Cast int64→float32, bool→float32', ops: ['Cast'], precision: 'exact',
    inputs: { n: integers(16, 'int64', [2, 3], -1000, 1000), p: tensor('bool', [2, 3], [1, 0, 1, 1, 0, 0]) },
    build: (b, { n, p }) => ({ y: b.op.Cast(n, { to: 'float32' }), z: b.op.Cast(p, { to: 'float32' }) }),
    reference: ({ n, p }) => ({ y: elementwise('float32', [n], (v) => v), z: elementwise('float32', [p], (v) => v) }),
  }),
  opCase({
    name: 'CastLike float32→int64', ops: ['CastLike'], precision: 'exact',
    inputs: { x: f32([4], [-3.5, -0.25, 2.75, 9]), like: i64([1], [0]) },
    build: (b, { x, like }) => ({ y: b.op.CastLike(x, like) }),
    reference: ({ x }) => ({ y: elementwise('int64', [x], Math.trunc) }),
  }),
];

const a = uniform(21, [2, 1, 4], -2, 2);
const c = uniform(22, [3, 1], -2, 2);

function binaryCase(op: OpType, fn: (x: number, y: number) => number, precision: Precision, y: Tensor = c, x: Tensor = a, label = 'broadcast'): OpCase {
  return opCase({
    name: `${op} (${label})`, ops: [op], precision,
    inputs: { x, y },
    build: (b, v) => ({ z: b.node(op, [v.x, v.y])[0]! }),
    reference: (v) => ({ z: elementwise(x.type, [v.x, v.y], fn) }),
  });
}

function compareCase(op: OpType, fn: (x: number, y: number) => boolean, x: Tensor, y: Tensor): OpCase {
  return opCase({
    name: `${op} ${x.type}`, ops: [op], precision: 'exact',
    inputs: { x, y },
    build: (b, v) => ({ z: b.node(op, [v.x, v.y])[0]! }),
    reference: (v) => ({ z: elementwise('bool', [v.x, v.y], (p, q) => Number(fn(p, q))) }),
  });
}

// Small integers stored as floats, so that comparisons meet equal values.
const ties = f32([2, 4], [1, -2, 3, 0, 2, 2, -1, 5]);
const tiesRow = f32([4], [1, 2, 3, 0]);
const bools = (seed: number, dims: number[]): Tensor => tensor('bool', dims, Array.from(integers(seed, 'int32', dims, 0, 1).data as Int32Array));
const pythonMod = (x: number, y: number): number => ((x % y) + y) % y;

const BINARY: OpCase[] = [
  binaryCase('Add', (x, y) => x + y, 'rounded'),
  binaryCase('Sub', (x, y) => x - y, 'rounded'),
  binaryCase('Mul', (x, y) => x * y, 'rounded'),
  binaryCase('Div', (x, y) => x / y, 'rounded', uniform(23, [3, 1], 0.5, 2)),
  binaryCase('Pow', (x, y) => x ** y, 'math', uniform(24, [3, 1], -2, 2), uniform(25, [2, 1, 4], 0.5, 2)),
  binaryCase('Pow', (x, y) => x ** y, 'math', uniform(32, [4], -2, 2), uniform(33, [3, 4], 0.5, 2), 'row broadcast'),
  binaryCase('Mod', pythonMod, 'exact', i64([3, 1], [3, -4, 5]), integers(26, 'int64', [2, 1, 4], -9, 9)),
  opCase({
    name: 'Mod fmod=1 float32', ops: ['Mod'], precision: 'exact',
    inputs: { x: uniform(27, [2, 4], -5, 5), y: f32([4], [1.5, -0.75, 2, -3]) },
    build: (b, v) => ({ z: b.op.Mod(v.x, v.y, { fmod: 1 }) }),
    reference: (v) => ({ z: elementwise('float32', [v.x, v.y], (p, q) => p % q) }),
  }),
  compareCase('Equal', (p, q) => p === q, ties, tiesRow),
  compareCase('Equal', (p, q) => p === q, i64([2, 3], [4, -1, 7, 4, 0, 2]), i64([3], [4, 0, 2])),
  compareCase('Less', (p, q) => p < q, ties, tiesRow),
  compareCase('Greater', (p, q) => p > q, ties, tiesRow),
  compareCase('LessOrEqual', (p, q) => p <= q, ties, tiesRow),
  compareCase('GreaterOrEqual', (p, q) => p >= q, ties, tiesRow),
  compareCase('And', (p, q) => Boolean(p && q), bools(28, [2, 4]), bools(29, [4])),
  compareCase('Or', (p, q) => Boolean(p || q), bools(30, [2, 4]), bools(31, [4])),
];

const x3 = uniform(41, [2, 3], -2, 2);
const y3 = uniform(42, [3], -2, 2);
const z3 = uniform(43, [2, 1], -2, 2);

function variadicCase(op: OpType, fn: (...v: number[]) => number, precision: Precision): OpCase {
  return opCase({
    name: `${op} of 3 (broadcast)`, ops: [op], precision,
    inputs: { x: x3, y: y3, z: z3 },
    build: (b, v) => ({ w: b.node(op, [v.x, v.y, v.z])[0]! }),
    reference: (v) => ({ w: elementwise('float32', [v.x, v.y, v.z], fn) }),
  });
}

const VARIADIC: OpCase[] = [
  variadicCase('Max', Math.max, 'exact'),
  variadicCase('Min', Math.min, 'exact'),
  variadicCase('Sum', (p, q, r) => p + q + r, 'sum'),
  variadicCase('Mean', (p, q, r) => (p + q + r) / 3, 'sum'),
  opCase({
    name: 'Where (broadcast)', ops: ['Where'], precision: 'exact',
    inputs: { cond: bools(44, [2, 3]), x: x3, y: y3 },
    build: (b, v) => ({ z: b.op.Where(v.cond, v.x, v.y) }),
    reference: (v) => ({ z: elementwise('float32', [v.cond, v.x, v.y], (p, q, r) => (p ? q : r)) }),
  }),
];

export const ELEMENTWISE_CASES: readonly OpCase[] = [
  ...Object.entries(UNARY).map(([op, spec]) => unaryCase(op as OpType, spec)),
  ...UNARY_OTHER,
  ...BINARY,
  ...VARIADIC,
];
