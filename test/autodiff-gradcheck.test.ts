// Every gradient rule against central finite differences on onnxruntime-node's CPU. float64 where
// its kernels exist: truncation ~h²·f‴ ≈ 1e-12 and round-off ~ε·|L|/h ≈ 1e-9 sit far below 1e-6 (worst seen: 3.7e-8).
// Softplus, Erf, Mean, Conv and MaxPool have float32 kernels only (and the Cast cases start from
// float32 to round-trip through float64): with h = 1e-2, truncation
// ~h²·f‴/6 ≈ 2e-5 and round-off ~ε·|L|/h ≈ 1e-4 stay under 1e-3 of the largest gradient (worst seen: 3.3e-5).
import { nodeRuntime } from '@twinembed/node';
import { describe, expect, test } from 'vitest';
import { backward } from '../packages/core/src/autodiff/backward.js';
import { GRADIENT_CASES } from '../packages/core/src/autodiff/gradient-cases.js';
import { checkGradients } from '../packages/core/src/autodiff/gradient-check.js';
import type { GradRule } from '../packages/core/src/autodiff/grad-rule.js';
import { GRAD_RULES } from '../packages/core/src/autodiff/rules/index.js';
import { GraphBuilder } from '../packages/core/src/graph/graph-builder.js';
import { encodeModel } from '../packages/core/src/onnx/proto.js';

const runs = GRADIENT_CASES.flatMap((c) => (c.opsets ?? [17]).map((opset) => [`${c.name} @ opset ${opset}`, c, opset] as const));

describe('gradient rules against finite differences', () => {
  const runtime = nodeRuntime();

  test.each(runs)('%s', async (_, c, opset) => {
    const results = await checkGradients(runtime, c, opset);
    expect(results.length).toBeGreaterThan(0);
    const tolerance = (c.type ?? 'float64') === 'float64' ? 1e-6 : 1e-3;
    for (const r of results) expect(r.error, `d/d${r.input}`).toBeLessThan(tolerance);
  });

  test('a wrong rule is caught', async () => {
    const wrongTanh: GradRule = (c) => [() => c.b.op.Mul(c.dy, c.b.op.Sub(1, c.y[0]!))]; // 1 − y instead of 1 − y²
    const rules = new Map([...GRAD_RULES, ['Tanh', wrongTanh]]);
    const [result] = await checkGradients(runtime, GRADIENT_CASES.find((c) => c.name === 'Tanh')!, 17, rules);
    expect(result!.error).toBeGreaterThan(0.1);
  });

  /** dx of Σ y·[2, 5] for a 2×2/stride-2 MaxPool whose input is declared `shape` and fed `data` of `dims`; checks no Indices output is used. */
  async function maxPoolTieGradient(name: string, shape: readonly (number | null)[], dims: number[], data: Float32Array): Promise<number[]> {
    const b = new GraphBuilder({ opset: 17, name });
    const x = b.input('x', 'float32', shape);
    const y = b.op.MaxPool(x, { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
    const loss = b.op.ReduceSum(b.op.Mul(y, b.constant({ type: 'float32', dims: [1, 1, 1, 2], data: Float32Array.of(2, 5) })), { keepdims: 0 });
    b.output(backward(b, { loss, wrt: [x] })[0]!, 'dx');
    const model = b.toModel();
    expect(model.graph!.node!.filter((n) => n.opType === 'MaxPool').map((n) => (n.output ?? []).filter(Boolean).length)).toEqual([1]);
    const session = await runtime.createSession(encodeModel(model));
    const { dx } = await session.run({ x: { type: 'float32', dims, data } });
    await session.release();
    return Array.from(dx!.data as Float32Array);
  }

  // Finite differences cannot see ties (no derivative there): PyTorch gives each window's gradient to
  // its first max in row-major order, and so must the Indices-free form used for non-overlapping windows.
  test('MaxPool ties: the first max of each window takes dy, without MaxPool Indices', async () => {
    const dx = await maxPoolTieGradient('maxpool-ties', [1, 1, 2, 4], [1, 1, 2, 4], Float32Array.of(1, 1, 0, 3, 0, 1, 3, 3));
    expect(dx).toEqual([2, 0, 0, 5, 0, 0, 0, 0]);
  });

  // Sizes known at run time only, and floor mode leaving the last row and column outside every window
  // (they hold the largest values): the same tie rule, and nothing for the uncovered elements.
  test('MaxPool ties, sizes known at run time only, floor mode: the first max takes dy, uncovered elements nothing', async () => {
    const data = Float32Array.of(1, 1, 0, 3, 9, 0, 1, 3, 3, 9, 9, 9, 9, 9, 9);
    const dx = await maxPoolTieGradient('maxpool-ties-runtime', [1, 1, null, null], [1, 1, 3, 5], data);
    expect(dx).toEqual([2, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
