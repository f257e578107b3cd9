import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { kochBceLoss } from './koch-bce-loss.js';

describe('kochBceLoss', () => {
  const pair = (b: GraphBuilder) => ({
    anchor: b.input('e1', 'float32', ['batch', 4]), other: b.input('e2', 'float32', ['batch', 4]), labels: b.input('y', 'float32', ['batch']),
  });

  test('adds a trainable head named head.weight [1, dim] and head.bias [1]', () => {
    const b = new GraphBuilder();
    kochBceLoss(b, pair(b), { dim: 4 });
    expect([...b.initializers.keys()]).toEqual(['head.weight', 'head.bias']);
    expect(b.value('head.weight').shape).toEqual([1, 4]);
  });

  test('the default head is nn.Linear\'s U(−1/√dim, 1/√dim), reproducible from the seed', () => {
    const heads = [0, 0, 1].map((seed) => {
      const b = new GraphBuilder();
      kochBceLoss(b, pair(b), { dim: 4, seed });
      return Array.from(new Float32Array(b.initializers.get('head.weight')!.rawData!.slice().buffer));
    });
    expect(heads[0]).toEqual(heads[1]);
    expect(heads[0]).not.toEqual(heads[2]);
    for (const w of heads[0]!) expect(Math.abs(w)).toBeLessThanOrEqual(0.5);
  });

  test('a head of the wrong size is an error', () => {
    const b = new GraphBuilder();
    expect(() => kochBceLoss(b, pair(b), { dim: 4, head: { weight: new Float32Array(3), bias: new Float32Array(1) } }))
      .toThrow(/KochBCE head: expected weight \[1, 4\] and bias \[1\], got 3 and 1 values/);
  });
});
