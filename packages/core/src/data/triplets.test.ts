import { describe, expect, test } from 'vitest';
import { triplets } from './triplets.js';

describe('triplets', () => {
  // 100:1:1 imbalance, plus a one-example class that can only ever be a negative.
  const labels = [...Array<number>(500).fill(0), ...Array<number>(5).fill(1), ...Array<number>(5).fill(2), 3];

  test('valid: anchor ≠ positive in one class, negative in another; anchor class uniform over classes with ≥ 2 examples', () => {
    const N = 15_000;
    const drawn = triplets({ labels, seed: 4, count: N }).take(N);
    const valid = ({ anchor, positive, negative }: (typeof drawn)[number]) =>
      anchor !== positive && labels[anchor] === labels[positive] && labels[negative] !== labels[anchor];
    expect(drawn.filter((t) => !valid(t))).toEqual([]);
    // σ of each fraction ≤ 0.5/√15000 ≈ 0.004; 0.02 is 5σ.
    for (const c of [0, 1, 2]) expect(Math.abs(drawn.filter((t) => labels[t.anchor] === c).length / N - 1 / 3)).toBeLessThan(0.02);
    expect(drawn.some((t) => labels[t.anchor] === 3)).toBe(false);
    expect(drawn.some((t) => labels[t.negative] === 3)).toBe(true);
  });

  test('same seed → same triplets, different seed → different triplets', () => {
    const run = (seed: number) => triplets({ labels, seed }).take(40);
    expect(run(8)).toEqual(run(8));
    expect(run(8)).not.toEqual(run(9));
  });

  test('bad input fails with what was expected and what was found', () => {
    expect(() => triplets({ labels: [0, 0, 0], seed: 1 })).toThrow('[twinembed:data] negative pairs: expected ≥ 2 classes with examples, got 1 (class 0)');
    expect(() => triplets({ labels: [0, 1], seed: 1 })).toThrow('positive pairs: expected a class with ≥ 2 examples, got 2 classes of one example each');
    expect(() => triplets({ labels: 'abc' as unknown as number[], seed: 1 })).toThrow('labels: expected an array of integers, got string');
  });
});
