import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random.js';
import { verificationMetrics, verificationPairs } from './verification.js';

/** The definitions, by brute force: P(score⁺ > score⁻) + ½ P(=), and the best of every threshold. */
function bruteForce(scores: number[], same: number[]): { rocAuc: number; accuracy: number } {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => scores.forEach((n, j) => {
    if (!same[i] || same[j]) return;
    pairs++;
    wins += p > n ? 1 : p === n ? 0.5 : 0;
  }));
  const thresholds = [...scores, Infinity];
  const accuracy = Math.max(...thresholds.map((t) => scores.filter((s, i) => (s >= t) === Boolean(same[i])).length / scores.length));
  return { rocAuc: wins / pairs, accuracy };
}

describe('verificationMetrics', () => {
  test('a hand-computed example', () => {
    // Positives 0.9 and 0.7; negatives 0.8, 0.6, 0.5. 0.9 beats 3, 0.7 beats 2: AUC 5/6.
    // Thresholds 0.9 and 0.7 both get 4 of 5 right; the lower one is reported.
    expect(verificationMetrics([0.9, 0.8, 0.7, 0.6, 0.5], [1, 0, 1, 0, 0])).toEqual({ rocAuc: 5 / 6, accuracy: 0.8, threshold: 0.7 });
  });

  test('ties count ½', () => {
    // (1⁺,1⁻) ½, (1⁺,0⁻) 1, (0⁺,1⁻) 0, (0⁺,0⁻) ½ → 2/4.
    expect(verificationMetrics([1, 1, 0, 0], [1, 0, 1, 0]).rocAuc).toBe(0.5);
    expect(verificationMetrics([3, 3, 3], [true, false, false])).toEqual({ rocAuc: 0.5, accuracy: 2 / 3, threshold: Infinity });
  });

  test('perfect and reversed separation', () => {
    expect(verificationMetrics([5, 4, 1, 0], [1, 1, 0, 0])).toEqual({ rocAuc: 1, accuracy: 1, threshold: 4 });
    expect(verificationMetrics([0, 1, 4, 5], [1, 1, 0, 0]).rocAuc).toBe(0);
  });

  test.each([1, 2, 3])('random scores with many ties equal the O(n²) definition (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const same = Array.from({ length: 301 }, () => (random() < 0.4 ? 1 : 0));
    const scores = same.map((s) => Math.round((random() + 0.3 * s) * 10) / 10);
    const got = verificationMetrics(scores, same);
    const want = bruteForce(scores, same);
    expect(got.rocAuc).toBeCloseTo(want.rocAuc, 12);
    expect(got.accuracy).toBe(want.accuracy);
    expect(scores.filter((s, i) => (s >= got.threshold) === Boolean(same[i])).length / scores.length).toBe(got.accuracy);
  });

  test('bad input', () => {
    expect(() => verificationMetrics([1, 2], [1])).toThrow('[twinembed:eval] verification: expected one label per score (2), got 1');
    expect(() => verificationMetrics([1, 2], [1, 1])).toThrow('[twinembed:eval] verification: expected both same and different pairs, got 2 same and 0 different');
    expect(() => verificationMetrics([1, NaN], [1, 0])).toThrow('[twinembed:eval] verification: expected finite scores, got NaN at pair 1');
  });
});

describe('verificationPairs', () => {
  const labels = Int32Array.from({ length: 50 }, (_, i) => (i < 3 ? 100 : i % 7)); // class 100 has 3 examples

  test('balanced, labelled right, two distinct examples, seeded', () => {
    const pairs = verificationPairs({ labels, pairs: 501, seed: 4 });
    expect(pairs.same.reduce((s, x) => s + x, 0)).toBe(251);
    for (let k = 0; k < 501; k++) {
      expect(pairs.first[k]).not.toBe(pairs.second[k]);
      expect(labels[pairs.first[k]!] === labels[pairs.second[k]!]).toBe(pairs.same[k] === 1);
    }
    expect(new Set(Array.from(pairs.first, (i) => labels[i])).size).toBe(8);
    expect(verificationPairs({ labels, pairs: 501, seed: 4 })).toEqual(pairs);
    expect(verificationPairs({ labels, pairs: 501, seed: 5 })).not.toEqual(pairs);
  });

  test('bad input', () => {
    expect(() => verificationPairs({ labels, pairs: 1, seed: 0 })).toThrow('[twinembed:eval] pairs: expected an integer ≥ 2, got 1');
    expect(() => verificationPairs({ labels: [0, 1, 2], pairs: 4, seed: 0 })).toThrow('[twinembed:eval] cannot draw verification pairs: expected ≥ 2 classes, at least one with ≥ 2 examples, got 3 classes, 0 with ≥ 2 examples');
    expect(() => verificationPairs({ labels: [0, 0], pairs: 4, seed: 0 })).toThrow('got 1 classes, 1 with ≥ 2 examples');
  });
});
