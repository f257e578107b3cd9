import { describe, expect, test } from 'vitest';
import { averageRanks, pearson, spearman } from './correlation.js';

describe('pearson and spearman', () => {
  test('a hand-worked pair: x = 1,2,3,4, y = 1,3,2,4', () => {
    // x̄ = ȳ = 2.5; Σdxdy = 2.25 − 0.25 − 0.25 + 2.25 = 4; Σdx² = Σdy² = 5 → r = 4/5.
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
    // Both lists are already their own ranks: Spearman = Pearson = 0.8.
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
  });

  test('tied values share the average of their ranks, as scipy', () => {
    // 3 takes ranks 3, 4, 5 → 4 each; 1 → 1; 2 → 2.
    expect(Array.from(averageRanks([3, 1, 3, 3, 2]))).toEqual([4, 1, 4, 4, 2]);
    // Ranks of x = 1, 2.5, 2.5, 4 against 1, 2, 3, 4: Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5 → 3/√10.
    expect(spearman([1, 2, 2, 3], [10, 20, 30, 40])).toBeCloseTo(3 / Math.sqrt(10), 15);
  });

  test('twelve values with ties match scipy.stats', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    const y = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5];
    // scipy 1.17.1: pearsonr(x, y)[0] = 0.09979900759721551, spearmanr(x, y)[0] = 0.1415796863640157
    expect(pearson(x, y)).toBeCloseTo(0.09979900759721551, 14);
    expect(spearman(x, y)).toBeCloseTo(0.1415796863640157, 14);
  });

  test('perfectly anticorrelated and constant inputs', () => {
    expect(pearson([1, 2, 3], [6, 4, 2])).toBe(-1);
    expect(spearman([1, 2, 3], [9, 4, 1])).toBe(-1);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
  });

  test('mismatched or too short lists fail', () => {
    expect(() => pearson([1, 2], [1])).toThrow('[twinembed:eval] correlation: expected two lists of the same length, got 2 and 1');
    expect(() => spearman([1], [1])).toThrow('expected at least 2 values, got 1');
  });
});
