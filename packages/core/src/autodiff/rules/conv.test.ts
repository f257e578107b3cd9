// Which dw path each Conv finite-difference case takes (the cases prove the values; this proves they
// cover all three paths), and the error for grouped weights.
import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../../graph/graph-builder.js';
import { backward } from '../backward.js';
import { GRADIENT_CASES } from '../gradient-cases.js';

/** The op types backward() adds for a gradient case, loss = Σ y. */
function backwardOps(name: string): string[] {
  const c = GRADIENT_CASES.find((k) => k.name === name);
  if (!c) throw new Error(`no gradient case named "${name}"`);
  const b = new GraphBuilder();
  const x = Object.fromEntries(Object.entries(c.inputs).map(([n, t]) => [n, b.input(n, t.type, c.dims?.[n] ?? t.dims)]));
  const y = c.build(b, x);
  const before = b.nodes.length;
  backward(b, { loss: b.op.ReduceSum(y, { keepdims: 0 }), wrt: Object.values(x) });
  return b.nodes.slice(before).map((n) => n.opType);
}

const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;

describe('Conv gradient', () => {
  test.each([
    'Conv stride 1, symbolic batch',
    'Conv stride 2, pads 1, dilation 2',
    'Conv 2×3 kernel, strides [2, 1], pads [1, 0, 0, 2]',
    'Conv 1-D kernel 3, stride 2, pads [2, 1]',
    'Conv 3-D 2×2×2, strides [1, 2, 1], pads [0, 1, 0, 1, 0, 0]',
  ])('"%s": dw is one GEMM over patches gathered at constant indices', (name) => {
    const ops = backwardOps(name);
    expect(count(ops, 'Gemm')).toBe(1);
    expect(count(ops, 'Gather')).toBe(1);
    expect(count(ops, 'Conv')).toBe(0);
  });

  test('spatial sizes known at run time only: dw is one GEMM over sliced patches', () => {
    const ops = backwardOps('Conv 3×2 kernel, dilations [1, 2], pads 1, sizes known at run time only');
    expect(count(ops, 'Gemm')).toBe(1);
    expect(count(ops, 'Gather')).toBe(0);
    expect(count(ops, 'Slice')).toBeGreaterThanOrEqual(6);
    expect(count(ops, 'Conv')).toBe(0);
  });

  test.each(['Conv 6×5 kernel (over the patch limit)', 'Conv weight shape known at run time only'])('"%s": dw is a Conv with dy as the kernel', (name) => {
    const ops = backwardOps(name);
    expect(count(ops, 'Conv')).toBe(1);
    expect(count(ops, 'Gemm')).toBe(0);
  });

  test('a grouped weight fails naming the group', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 4, 5, 5]);
    const w = b.input('w', 'float32', [4, 2, 3, 3]);
    const loss = b.op.ReduceSum(b.op.Conv(x, w, { group: 2 }), { keepdims: 0 });
    expect(() => backward(b, { loss, wrt: [w] })).toThrow('[twinembed:autodiff] Conv node "Conv": the weight gradient supports group 1, got 2');
  });
});
