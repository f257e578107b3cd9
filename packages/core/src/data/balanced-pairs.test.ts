import { describe, expect, test } from 'vitest';
import { balancedPairs } from './balanced-pairs.js';

// Binomial tolerances: a fraction estimated from N draws has σ = √(p(1−p)/N) ≤ 0.5/√N; N = 20000 gives
// σ ≤ 0.0036, and 0.015 is over 4σ (the draws are seeded, so the test is deterministic either way).
const N = 20_000;
const TOL = 0.015;

const fraction = <T>(items: T[], keep: (item: T) => boolean) => items.filter(keep).length / items.length;

describe('balancedPairs', () => {
  // 1000 examples of class 0, 10 of class 1: 100:1.
  const imbalanced = [...Array<number>(1000).fill(0), ...Array<number>(10).fill(1)];

  test('under a 100:1 imbalance the rare class is the anchor half the time, positives at positiveFraction', () => {
    for (const positiveFraction of [0.5, 0.3]) {
      const pairs = balancedPairs({ labels: imbalanced, seed: 1, count: N, positiveFraction }).take(N + 1);
      expect(pairs).toHaveLength(N);
      expect(Math.abs(fraction(pairs, (p) => imbalanced[p.a] === 1) - 0.5)).toBeLessThan(TOL);
      expect(Math.abs(fraction(pairs, (p) => p.same === 1) - positiveFraction)).toBeLessThan(TOL);
      const rarePositives = pairs.filter((p) => p.same === 1 && imbalanced[p.a] === 1);
      expect(Math.abs(rarePositives.length / N - positiveFraction / 2)).toBeLessThan(TOL);
      // every rare example is used: class-balanced, uniform within the class
      expect(new Set(rarePositives.map((p) => p.a)).size).toBe(10);
    }
  });

  test('positives share a class with a ≠ b, negatives do not; one-example classes never give positives', () => {
    const labels = [0, 0, 0, 1, 2, 2, 3, 1, 4]; // classes 3 and 4 have one example each
    const pairs = balancedPairs({ labels, seed: 5, count: N }).take(N);
    const valid = ({ a, b, same }: (typeof pairs)[number]) => (same === 1 ? labels[a] === labels[b] && a !== b : labels[a] !== labels[b]);
    expect(pairs.filter((p) => !valid(p))).toEqual([]);
    expect(pairs.some((p) => p.same === 1 && (labels[p.a] === 3 || labels[p.a] === 4))).toBe(false);
    // positives: anchor class uniform over the 3 classes with ≥ 2 examples
    const positives = pairs.filter((p) => p.same === 1);
    for (const c of [0, 1, 2]) expect(Math.abs(fraction(positives, (p) => labels[p.a] === c) - 1 / 3)).toBeLessThan(2 * TOL);
    // negatives: anchor class uniform over all 5 classes, the other class uniform over the remaining 4
    const negatives = pairs.filter((p) => p.same === 0);
    for (const c of [0, 1, 2, 3, 4]) expect(Math.abs(fraction(negatives, (p) => labels[p.a] === c) - 1 / 5)).toBeLessThan(2 * TOL);
    const fromClass3 = negatives.filter((p) => labels[p.a] === 3);
    for (const c of [0, 1, 2, 4]) expect(Math.abs(fraction(fromClass3, (p) => labels[p.b] === c) - 1 / 4)).toBeLessThan(0.05);
  });

  test('positiveFraction 0 and 1 give only negatives and only positives', () => {
    const labels = [0, 0, 1, 1];
    expect(balancedPairs({ labels, seed: 1, count: 200, positiveFraction: 1 }).take(200).every((p) => p.same === 1)).toBe(true);
    expect(balancedPairs({ labels, seed: 1, count: 200, positiveFraction: 0 }).take(200).every((p) => p.same === 0)).toBe(true);
  });

  test('same seed → same pairs, different seed → different pairs; endless without count', () => {
    const run = (seed: number) => balancedPairs({ labels: imbalanced, seed }).take(50);
    expect(run(2)).toEqual(run(2));
    expect(run(2)).not.toEqual(run(3));
    expect(balancedPairs({ labels: imbalanced, seed: 2 }).take(5000)).toHaveLength(5000);
  });

  test('bad input fails with what was expected and what was found', () => {
    expect(() => balancedPairs({ labels: [], seed: 1 })).toThrow('[twinembed:data] labels: expected at least one example, got an empty list');
    expect(() => balancedPairs({ labels: [0, 1, 2], seed: 1 })).toThrow(
      'positive pairs: expected a class with ≥ 2 examples, got 3 classes of one example each',
    );
    expect(() => balancedPairs({ labels: [0, 1, 2], seed: 1, positiveFraction: 0 }).take(1)).not.toThrow();
    expect(() => balancedPairs({ labels: [2, 2], seed: 1 })).toThrow('negative pairs: expected ≥ 2 classes with examples, got 1 (class 2)');
    expect(() => balancedPairs({ labels: [0, 1], seed: 1, positiveFraction: 1.5 })).toThrow('positiveFraction: expected a number in [0, 1], got 1.5');
    expect(() => balancedPairs({ labels: [0, 1], seed: 1, count: -1 })).toThrow('count: expected an integer ≥ 0, got -1');
    expect(() => balancedPairs({ labels: [0, 1.5], seed: 1 })).toThrow('labels[1]: expected an integer ≥ 0, got 1.5');
  });
});
