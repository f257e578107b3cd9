// Which route each MaxPool finite-difference case takes: non-overlapping windows without MaxPool's
// Indices (so the gradient runs on onnxruntime WebGPU), whatever is known of the sizes; others scatter.
import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../../graph/graph-builder.js';
import { backward } from '../backward.js';
import { GRADIENT_CASES } from '../gradient-cases.js';

/** The whole graph's ops after backward() on a gradient case (loss = Σ y), and the outputs of its MaxPool nodes. */
function withBackward(name: string): { ops: string[]; maxPoolOutputs: number[] } {
  const c = GRADIENT_CASES.find((k) => k.name === name);
  if (!c) throw new Error(`no gradient case named "${name}"`);
  const b = new GraphBuilder();
  const x = Object.fromEntries(Object.entries(c.inputs).map(([n, t]) => [n, b.input(n, t.type, c.dims?.[n] ?? t.dims)]));
  backward(b, { loss: b.op.ReduceSum(c.build(b, x), { keepdims: 0 }), wrt: Object.values(x) });
  const pools = b.nodes.filter((n) => n.opType === 'MaxPool');
  return { ops: b.nodes.map((n) => n.opType), maxPoolOutputs: pools.map((n) => n.outputs.filter((v) => v.name !== '').length) };
}

describe('MaxPool gradient', () => {
  test.each([
    'MaxPool 2×2 stride 2',
    'MaxPool 2×3 windows, symbolic batch',
    'MaxPool 2×2 stride 2 on 5×5 (floor: last row and column unused)',
    'MaxPool 1-D kernel 3 stride 3',
    'MaxPool 2×2 stride 2 on 7×6, sizes known at run time only (cropped, then padded back)',
    'MaxPool 2×2 stride 2 on 4×6, sizes known at run time only (nothing to crop)',
  ])('"%s": routed without Indices', (name) => {
    expect(withBackward(name).maxPoolOutputs).toEqual([1]); // the forward node's Y: no Indices anywhere
  });

  test.each(['MaxPool 3×3 stride 1, overlapping', 'MaxPool 2×2 stride 2, ceil_mode 1 on 5×5 (partial windows)'])('"%s": dy scattered to the Indices', (name) => {
    const { ops, maxPoolOutputs } = withBackward(name);
    expect(maxPoolOutputs).toEqual([1, 2]);
    expect(ops).toContain('ScatterElements');
  });
});
