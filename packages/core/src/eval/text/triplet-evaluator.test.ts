import { describe, expect, test } from 'vitest';
import { evaluateTriplets } from './triplet-evaluator.js';

// Three 2-d triplets (anchor; positive; negative):
//   0: (1,0); (2,0); (0,1)     cos 1 vs 0 ✓   dot 2 vs 0 ✓   d₂ 1 vs √2 ✓   d₁ 1 vs 2 ✓
//   1: (1,0); (0,3); (−1,0)    cos 0 vs −1 ✓  dot 0 vs −1 ✓  d₂ √10 vs 2 ✗  d₁ 4 vs 2 ✗
//   2: (1,0); (1,1); (3,0)     cos 1/√2 vs 1 ✗ dot 1 vs 3 ✗  d₂ 1 vs 2 ✓    d₁ 1 vs 2 ✓
const anchors = Float32Array.of(1, 0, 1, 0, 1, 0);
const positives = Float32Array.of(2, 0, 0, 3, 1, 1);
const negatives = Float32Array.of(0, 1, -1, 0, 3, 0);

describe('evaluateTriplets', () => {
  test('accuracy per similarity and the max, keyed as sentence-transformers', () => {
    const got = evaluateTriplets({ anchors, positives, negatives, dim: 2 });
    expect(got).toEqual({ cosine_accuracy: 2 / 3, dot_accuracy: 2 / 3, euclidean_accuracy: 2 / 3, manhattan_accuracy: 2 / 3, max_accuracy: 2 / 3 });
  });

  test('a margin is a lead the positive must beat, strictly', () => {
    // Leads: cosine 1, 1, −0.29; manhattan (d(a,n) − d(a,p)) 1, −2, 1. A margin of 1 passes none of them.
    expect(evaluateTriplets({ anchors, positives, negatives, dim: 2, margin: 1, similarities: ['cosine', 'manhattan'] })).toEqual({ cosine_accuracy: 0, manhattan_accuracy: 0, max_accuracy: 0 });
    expect(evaluateTriplets({ anchors, positives, negatives, dim: 2, margin: 0.5, similarities: ['manhattan'] })).toEqual({ manhattan_accuracy: 2 / 3 });
  });

  test('mismatched matrices fail', () => {
    expect(() => evaluateTriplets({ anchors, positives, negatives: negatives.subarray(2), dim: 2 })).toThrow('[twinembed:eval] negatives: expected as many values as anchors (6), got 4');
  });
});
