// The autodiff engine without a runtime: rule coverage, the declared/missing distinction, the
// error for an op without a rule, path-only walking, gradient summation and deep graphs.
import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { backward } from './backward.js';
import { GRADIENT_CASES } from './gradient-cases.js';
import { GRAD_RULES, mergeRules, NO_GRAD } from './rules/index.js';

/** Ops reachable from the parameters of the fixture encoders and the project's own layers and losses (issue 3). */
const REQUIRED = [
  'Gather', 'LayerNormalization', 'MatMul', 'Add', 'Mul', 'Div', 'Sub', 'Softmax', 'Erf', 'Reshape', 'Transpose', 'Where',
  'Expand', 'Slice', 'Concat', 'Unsqueeze', 'Squeeze', 'Cast', 'Identity', 'Flatten', 'GatherND', 'Max', 'Sqrt', 'Pow',
  'Conv', 'MaxPool', 'Relu', 'Gemm', 'Sigmoid', 'ReduceSum', 'ReduceMean', 'ReduceMax', 'Abs', 'Exp', 'Log', 'Neg', 'Clip',
  'Tanh', 'LogSoftmax', 'Softplus',
];

describe('gradient rules', () => {
  test('cover every op the fixtures and the losses need', () => {
    expect(REQUIRED.filter((op) => !GRAD_RULES.has(op))).toEqual([]);
  });

  test('each rule has a finite-difference case', () => {
    const checked = new Set(GRADIENT_CASES.flatMap((c) => c.ops));
    expect([...GRAD_RULES.keys()].filter((op) => !checked.has(op))).toEqual([]);
  });

  test('a duplicate rule, or a rule for a NO_GRAD op, is an error', () => {
    const rule = GRAD_RULES.get('Neg')!;
    expect(() => mergeRules([{ Neg: rule }, { Neg: rule }])).toThrow('[twinembed:autodiff] gradient rule for Neg: defined twice');
    expect(() => mergeRules([{ Shape: rule }])).toThrow('declared NO_GRAD');
  });

  test('comparisons and shape ops are declared, not missing', () => {
    for (const op of ['Shape', 'Equal', 'Greater', 'IsNaN', 'ArgMax', 'NonZero']) expect(NO_GRAD.has(op)).toBe(true);
  });
});

describe('backward', () => {
  test('an op without a rule on the path fails naming the op, the node and the supported ops', () => {
    const b = new GraphBuilder();
    const w = b.input('w', 'float32', [2, 2]);
    const loss = b.op.ReduceSum(b.op.Einsum(w, w, { equation: 'ij,jk->ik' }), { keepdims: 0 });
    expect(() => backward(b, { loss, wrt: [w] })).toThrow(/no gradient rule for Einsum \(node "Einsum".*expected one of .*MatMul/);
  });

  test('walks only the path from the targets to the loss', () => {
    const b = new GraphBuilder();
    const w = b.input('w', 'float32', [3]);
    const other = b.input('other', 'float32', [3]);
    const offPath = b.op.Einsum(other, { equation: 'i->i' }); // no rule, but no target reaches it
    const loss = b.op.ReduceSum(b.op.Add(b.op.Tanh(w), offPath), { keepdims: 0 });
    const before = b.nodes.length;
    const [dw] = backward(b, { loss, wrt: [w] });
    expect(dw!.type).toBe('float32');
    const added = b.nodes.slice(before).map((n) => n.opType);
    expect(added).not.toContain('Einsum');
    expect(added.filter((op) => op === 'Mul').length).toBeGreaterThan(0);
  });

  test('sums the gradients of a value used more than once', () => {
    const b = new GraphBuilder();
    const w = b.input('w', 'float32', [3]);
    const loss = b.op.ReduceSum(b.op.Add(b.op.Exp(w), b.op.Tanh(w)), { keepdims: 0 });
    const before = b.nodes.length;
    backward(b, { loss, wrt: [w] });
    expect(b.nodes.slice(before).map((n) => n.opType)).toContain('Sum');
  });

  test("a reduction's gradient joins a full-size one by broadcasting, and no dead node is left behind", () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 8]);
    const loss = b.op.ReduceSum(b.op.Mul(b.op.Sub(x, b.op.ReduceMean(x, { axes: [1], keepdims: 1 })), x), { keepdims: 0 });
    const before = b.nodes.length;
    const [dx] = backward(b, { loss, wrt: [x] });
    const added = b.nodes.slice(before);
    expect(dx!.producer?.opType).toBe('Sum');
    expect(dx!.producer!.inputs.map((g) => g!.producer?.opType)).not.toContain('Expand');
    const read = new Set(b.nodes.flatMap((n) => n.inputs.map((v) => v?.name)));
    expect(added.filter((n) => n.outputs.every((y) => !read.has(y.name) && y !== dx))).toEqual([]);
  });

  test('a target the loss does not depend on gets zeros; integer paths carry no gradient', () => {
    const b = new GraphBuilder();
    const w = b.input('w', 'float32', [3]);
    const unused = b.input('unused', 'float32', [2]);
    const size = b.op.Cast(b.op.Shape(w), { to: 'float32' }); // through Shape: no gradient
    const loss = b.op.ReduceSum(b.op.Mul(w, size), { keepdims: 0 });
    const [dw, du] = backward(b, { loss, wrt: [w, unused] });
    expect(dw!.producer!.opType).not.toBe('ConstantOfShape');
    expect(du!.producer!.opType).toBe('ConstantOfShape');
  });

  test('handles graphs far deeper than the JS stack', () => {
    const b = new GraphBuilder();
    const w = b.input('w', 'float32', [1]);
    let v = w;
    for (let i = 0; i < 20_000; i++) v = b.op.Neg(v);
    const [dw] = backward(b, { loss: v, wrt: [w] });
    expect(dw).toBeDefined();
  });

  test.each([
    ['Add broadcast, shapes known at run time only', 'NonZero'],
    ['MatMul, ranks unknown (Einsum)', 'Einsum'],
    ['MatMul batch broadcast, ranks known', 'Transpose'],
  ])('the finite-difference case "%s" exercises the %s path', (name, op) => {
    const c = GRADIENT_CASES.find((k) => k.name === name)!;
    const b = new GraphBuilder();
    const x = Object.fromEntries(Object.entries(c.inputs).map(([n, t]) => [n, b.input(n, t.type, c.dims?.[n] ?? t.dims)]));
    const y = c.build(b, x);
    const before = b.nodes.length;
    backward(b, { loss: b.op.ReduceSum(y, { keepdims: 0 }), wrt: Object.values(x) });
    expect(b.nodes.slice(before).map((n) => n.opType)).toContain(op);
  });

  test('known shapes need no run-time reduction axes', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 'seq', 4]);
    const w = b.input('w', 'float32', [4]);
    const loss = b.op.ReduceSum(b.op.Mul(b.op.Add(x, w), b.op.Tanh(x)), { keepdims: 0 });
    const before = b.nodes.length;
    backward(b, { loss, wrt: [x, w] });
    const ops = b.nodes.slice(before).map((n) => n.opType);
    expect(ops).not.toContain('NonZero');
    expect(ops.filter((op) => op === 'ReduceSum')).toHaveLength(1); // w's: over batch and seq
  });

  test('symbolic sizes that match need no run-time reduction axes either, through a Concat of the same symbol', () => {
    const b = new GraphBuilder();
    const [a, p] = ['a', 'p'].map((n) => b.input(n, 'float32', ['batch', 3, 8]));
    const rows = b.op.Concat(a!, p!, { axis: 0 }); // ['batch+batch', 3, 8]
    const mean = b.op.ReduceMean(rows, { axes: [1, 2], keepdims: 1 }); // ['batch+batch', 1, 1]
    const loss = b.op.ReduceSum(b.op.Mul(b.op.Div(b.op.Sub(rows, mean), b.op.Add(mean, 2)), b.input('scale', 'float32', [3, 1])), { keepdims: 0 });
    const before = b.nodes.length;
    backward(b, { loss, wrt: [a!, p!] });
    expect(b.nodes.slice(before).map((n) => n.opType)).not.toContain('NonZero');
    const unsure = new GraphBuilder(); // two different symbols: which one is 1 is known only at run time
    const x = unsure.input('x', 'float32', ['batch', 4]);
    const y = unsure.input('y', 'float32', ['other', 4]);
    const start = unsure.nodes.length;
    backward(unsure, { loss: unsure.op.ReduceSum(unsure.op.Mul(x, y), { keepdims: 0 }), wrt: [x] });
    expect(unsure.nodes.slice(start).map((n) => n.opType)).toContain('NonZero');
  });

  test('rejects a loss that is not floating point', () => {
    const b = new GraphBuilder();
    const w = b.input('w', 'int64', [1]);
    expect(() => backward(b, { loss: w, wrt: [w] })).toThrow('expected a floating-point loss');
  });
});
