import { describe, expect, test } from 'vitest';
import { averagePrecision, bestAccuracy, bestF1, matthewsAtCut } from './threshold-metrics.js';

// Six pairs, best first. Cuts m = 1…5 call the first m positive:
//   m  TP FP TN FN  accuracy  precision recall  F1
//   1  1  0  3  2   4/6       1         1/3     1/2
//   2  2  0  3  1   5/6       1         2/3     4/5
//   3  2  1  2  1   4/6       2/3       2/3     2/3
//   4  3  1  2  0   5/6       3/4       1       6/7
//   5  3  2  1  0   4/6       3/5       1       3/4
const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
const labels = [1, 1, 0, 1, 0, 0];

describe('threshold metrics', () => {
  test('best accuracy: the first (highest) of the equal best cuts, midway between its scores', () => {
    const best = bestAccuracy(scores, labels);
    expect(best.accuracy).toBeCloseTo(5 / 6, 15);
    expect(best.threshold).toBeCloseTo(0.75, 15);
  });

  test('best F1 with its precision and recall', () => {
    const best = bestF1(scores, labels);
    expect(best.f1).toBeCloseTo(6 / 7, 15);
    expect([best.precision, best.recall, best.predictedPositives]).toEqual([0.75, 1, 4]);
    expect(best.threshold).toBeCloseTo(0.55, 15);
  });

  test('average precision: ΔR × P at each positive', () => {
    // Positives at ranks 1, 2, 4: (1/3)(1) + (1/3)(1) + (1/3)(3/4) = 11/12.
    expect(averagePrecision(scores, labels)).toBeCloseTo(11 / 12, 15);
    // Order, not values, matters: shuffled input gives the same.
    expect(averagePrecision([0.5, 0.9, 0.4, 0.6, 0.7, 0.8], [0, 1, 0, 1, 0, 1])).toBeCloseTo(11 / 12, 15);
  });

  test('MCC at the F1 cut: (3·2 − 1·0) / √(4·3·3·2)', () => {
    expect(matthewsAtCut(scores, labels, 4)).toBeCloseTo(6 / Math.sqrt(72), 15);
    expect(matthewsAtCut(scores, labels, 0)).toBe(0);
  });

  test('tied scores are never split by a threshold', () => {
    // Runs {0.9}, {0.5, 0.5}, {0.1}: cuts only at m = 1 (threshold 0.7) and m = 3 (0.3).
    const s = [0.5, 0.9, 0.1, 0.5];
    const y = [1, 1, 0, 0];
    // m = 1: TP 1, TN 2 → 3/4; m = 3: TP 2, FP 1, TN 1 → 3/4: the first stays.
    expect(bestAccuracy(s, y)).toEqual({ accuracy: 0.75, threshold: 0.7 });
    // m = 1: P 1, R 1/2 → 2/3; m = 3: P 2/3, R 1 → 4/5.
    const f1 = bestF1(s, y);
    expect([f1.f1, f1.predictedPositives]).toEqual([0.8, 3]);
    expect(f1.threshold).toBeCloseTo(0.3, 15);
    // sklearn groups the tie: 0.9 → P 1, ΔR 1/2; 0.5 → P 2/3, ΔR 1/2 → 1/2 + 1/3.
    expect(averagePrecision(s, y)).toBeCloseTo(5 / 6, 15);
  });

  test('equal scores leave no threshold', () => {
    expect(bestAccuracy([1, 1], [0, 1])).toEqual({ accuracy: 0, threshold: NaN });
    expect(bestF1([1, 1], [0, 1]).threshold).toBeNaN();
  });

  test('bad labels fail with the pair', () => {
    expect(() => bestAccuracy([1, 2], [1, 2])).toThrow('[twinembed:eval] pairs: expected labels 0 or 1, got 2 at pair 1');
    expect(() => bestF1([1, 2], [1, 1])).toThrow('pairs: expected both positive (1) and negative (0) labels, got 2 positive of 2');
    expect(() => averagePrecision([1, NaN], [1, 0])).toThrow('pairs: expected finite scores, got NaN at pair 1');
  });
});
