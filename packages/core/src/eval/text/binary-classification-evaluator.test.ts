import { describe, expect, test } from 'vitest';
import { evaluateBinaryClassification } from './binary-classification-evaluator.js';

// Four 1-d pairs: first rows 0, second rows 1, 2, 4, 8 → distances 1, 2, 4, 8; labels 1, 0, 1, 0.
// Nearest first the labels read 1, 0, 1, 0 for euclidean and manhattan alike; dot (0 for every
// pair) cannot rank them.
const embeddings1 = Float32Array.of(0, 0, 0, 0);
const embeddings2 = Float32Array.of(1, 2, 4, 8);
const labels = [1, 0, 1, 0];

describe('evaluateBinaryClassification', () => {
  test('distances rank nearest first and report thresholds as distances', () => {
    const got = evaluateBinaryClassification({ embeddings1, embeddings2, dim: 1, labels, similarities: ['euclidean', 'manhattan'] });
    // Cuts: m = 1 (d ≤ 1.5): TP 1, TN 2 → 3/4; m = 2 (d ≤ 3): 2/4; m = 3 (d ≤ 6): TP 2, TN 1 → 3/4.
    // Best accuracy 3/4 at the first, 1.5. F1: m = 1: P 1, R 1/2 → 2/3; m = 2: P 1/2, R 1/2 → 1/2;
    // m = 3: P 2/3, R 1 → 4/5 at 6. AP: (1/2)(1) + (1/2)(2/3) = 5/6. MCC at m = 3: TP 2, FP 1,
    // TN 1, FN 0 → (2 − 0)/√(3·2·2·1) = 2/√12.
    for (const fn of ['euclidean', 'manhattan']) {
      expect(got[`${fn}_accuracy`]).toBe(0.75);
      expect(got[`${fn}_accuracy_threshold`]).toBe(1.5);
      expect(got[`${fn}_f1`]).toBeCloseTo(0.8, 15);
      expect(got[`${fn}_f1_threshold`]).toBe(6);
      expect(got[`${fn}_precision`]).toBeCloseTo(2 / 3, 15);
      expect(got[`${fn}_recall`]).toBe(1);
      expect(got[`${fn}_ap`]).toBeCloseTo(5 / 6, 15);
      expect(got[`${fn}_mcc`]).toBeCloseTo(2 / Math.sqrt(12), 15);
    }
    expect(Object.keys(got).filter((k) => k.startsWith('max_'))).toEqual(['max_accuracy', 'max_f1', 'max_precision', 'max_recall', 'max_ap', 'max_mcc']);
  });

  test('a similarity that ties every pair has no threshold; AP is the positive rate', () => {
    const got = evaluateBinaryClassification({ embeddings1, embeddings2, dim: 1, labels, similarities: ['dot'] });
    expect(Object.keys(got)).toEqual(['dot_accuracy', 'dot_accuracy_threshold', 'dot_f1', 'dot_f1_threshold', 'dot_precision', 'dot_recall', 'dot_ap', 'dot_mcc']);
    expect([got.dot_accuracy, got.dot_accuracy_threshold, got.dot_f1, got.dot_ap, got.dot_mcc]).toEqual([0, NaN, 0, 0.5, 0]);
  });

  test('cosine: higher is more alike', () => {
    // 2-d pairs with cosines 1, 0, −1, 1/√2 and labels 1, 0, 0, 1: ranked 1, 1/√2, 0, −1 → 1, 1, 0, 0.
    const got = evaluateBinaryClassification({
      embeddings1: Float32Array.of(1, 0, 1, 0, 1, 0, 2, 0), embeddings2: Float32Array.of(1, 0, 0, 1, -1, 0, 1, 1), dim: 2, labels: [1, 0, 0, 1], similarities: ['cosine'],
    });
    expect([got.cosine_accuracy, got.cosine_f1, got.cosine_ap, got.cosine_mcc]).toEqual([1, 1, 1, 1]);
    expect(got.cosine_accuracy_threshold).toBeCloseTo((Math.SQRT1_2 + 0) / 2, 7);
  });

  test('labels must be one per pair', () => {
    expect(() => evaluateBinaryClassification({ embeddings1, embeddings2, dim: 1, labels: [1, 0] })).toThrow('[twinembed:eval] labels: expected one label per pair (4), got 2');
  });
});
