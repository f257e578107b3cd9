import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { createAdamW } from './adam.js';
import { appendOptimizerStep } from './optimizer-step.js';
import { createSgd } from './sgd.js';

describe('appendOptimizerStep', () => {
  test('declares scalar and state inputs shaped like each parameter, and names its outputs', () => {
    const b = new GraphBuilder();
    const weight = b.param('fc.weight', new Float32Array(6), [2, 3]);
    const params = [{ name: 'fc.weight', param: weight, grad: b.input('grad', 'float32', [2, 3]), dims: [2, 3] }];
    const names = appendOptimizerStep(b, { optimizer: createAdamW(), params, clipGradNorm: { maxNorm: 1 } });
    expect(names.scalars).toEqual({ step_size: 'optimizer.step_size', bias_correction2_sqrt: 'optimizer.bias_correction2_sqrt', decay: 'optimizer.decay' });
    expect(names.params).toEqual([{
      name: 'fc.weight', output: 'updated.fc.weight',
      state: [
        { key: 'exp_avg', input: 'fc.weight.exp_avg', output: 'updated.fc.weight.exp_avg' },
        { key: 'exp_avg_sq', input: 'fc.weight.exp_avg_sq', output: 'updated.fc.weight.exp_avg_sq' },
      ],
    }]);
    expect(names.totalNorm).toBe('optimizer.total_norm');
    expect(b.value('fc.weight.exp_avg').shape).toEqual([2, 3]);
    expect(b.outputs.map((o) => o.name)).toContain('updated.fc.weight');
  });

  test('a parameter without a gradient passes through with its state; nothing else reads it (no update, no clipping)', () => {
    const b = new GraphBuilder();
    const used = b.param('used', new Float32Array(2), [2]);
    const unused = b.param('unused', new Float32Array(3), [3]);
    appendOptimizerStep(b, {
      optimizer: createAdamW(), clipGradNorm: { maxNorm: 1 },
      params: [{ name: 'used', param: used, grad: b.input('g', 'float32', [2]), dims: [2] }, { name: 'unused', param: unused, grad: null, dims: [3] }],
    });
    const producer = (name: string) => b.outputs.find((o) => o.name === name)!.producer!;
    expect([producer('updated.unused'), producer('updated.unused.exp_avg')].map((n) => [n.opType, n.inputs[0]!.name])).toEqual([['Identity', 'unused'], ['Identity', 'unused.exp_avg']]);
    expect(producer('updated.used').inputs[0]!.producer?.opType).toBe('Sub');
    expect(b.nodes.filter((n) => n.inputs.some((v) => v?.name === 'unused')).map((n) => n.opType)).toEqual(['Identity']);
  });

  test('no trainable parameter, or a bad clipping norm, is an error', () => {
    expect(() => appendOptimizerStep(new GraphBuilder(), { optimizer: createSgd(), params: [] })).toThrow(/SGD step: expected at least one trainable parameter, got none/);
    const b = new GraphBuilder();
    const params = [{ name: 'w', param: b.input('w', 'float32', [1]), grad: b.input('g', 'float32', [1]), dims: [1] }];
    expect(() => appendOptimizerStep(b, { optimizer: createSgd(), params, clipGradNorm: { maxNorm: 1, normType: 1 } })).toThrow(/normType: expected 2 or Infinity, got 1/);
  });
});
