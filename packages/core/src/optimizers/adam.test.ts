import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { createAdam, createAdamW } from './adam.js';

describe('Adam and AdamW', () => {
  test('step scalars are PyTorch\'s Python-side float64 values', () => {
    const adamw = createAdamW({ weightDecay: 0.01 });
    expect(adamw.scalars(1, 1e-3)).toEqual({ step_size: 1e-3 / (1 - 0.9), bias_correction2_sqrt: Math.sqrt(1 - 0.999), decay: 1 - 1e-3 * 0.01 });
    expect(adamw.scalars(3, 1e-3).step_size).toBeCloseTo(1e-3 / (1 - 0.9 ** 3), 15);
    expect(createAdam().scalars(2, 0.1)).toEqual({ step_size: 0.1 / (1 - 0.81), bias_correction2_sqrt: Math.sqrt(1 - 0.999 ** 2) });
  });

  test('state is PyTorch\'s exp_avg and exp_avg_sq; AdamW decays the parameter, Adam the gradient', () => {
    for (const [optimizer, decays] of [[createAdamW(), 'param'], [createAdam({ weightDecay: 0.1 }), 'grad']] as const) {
      const b = new GraphBuilder();
      const [param, grad, m, v] = ['p', 'g', 'm', 'v'].map((n) => b.input(n, 'float32', [2]));
      const scalars = Object.fromEntries(optimizer.scalarNames.map((n) => [n, b.input(n, 'float32', [])]));
      const update = optimizer.update(b, { param: param!, grad: grad!, state: { exp_avg: m!, exp_avg_sq: v! }, scalars });
      expect(Object.keys(update.state)).toEqual(optimizer.stateNames);
      const firstUse = b.nodes.find((node) => node.inputs.includes(param!))!;
      expect(firstUse.opType).toBe('Mul');
      expect(firstUse.inputs.includes(scalars.decay ?? null)).toBe(decays === 'param');
    }
  });

  test('bad hyper-parameters fail once, at creation', () => {
    expect(() => createAdamW({ betas: [0.9, 1] })).toThrow(/AdamW betas\[1\]: expected a number in \[0, 1\), got 1/);
    expect(() => createAdam({ eps: -1 })).toThrow(/eps/);
    expect(() => createAdamW().scalars(0, 1e-3)).toThrow(/step: expected an integer ≥ 1/);
  });
});
