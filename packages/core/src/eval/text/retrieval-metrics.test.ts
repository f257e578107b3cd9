import { describe, expect, test } from 'vitest';
import { retrievalMetrics } from './retrieval-metrics.js';

describe('retrievalMetrics', () => {
  test('two hand-worked queries', () => {
    // q0: hits F T F T, 2 relevant. q1: hits T F F F, 1 relevant.
    const got = retrievalMetrics({
      rankings: [['d1', 'd2', 'd3', 'd4'], ['d5', 'd1', 'd2', 'd3']],
      relevant: [new Set(['d2', 'd4']), new Set(['d5'])],
      accuracyAtK: [1, 3], precisionRecallAtK: [1, 3], mrrAtK: [3], ndcgAtK: [3], mapAtK: [3],
    });
    expect(Object.keys(got)).toEqual(['accuracy@1', 'accuracy@3', 'precision@1', 'precision@3', 'recall@1', 'recall@3', 'ndcg@3', 'mrr@3', 'map@3']);
    expect(got['accuracy@1']).toBe(0.5); // (0 + 1) / 2
    expect(got['accuracy@3']).toBe(1);
    expect(got['precision@1']).toBe(0.5); // (0 + 1) / 2
    expect(got['precision@3']).toBeCloseTo(1 / 3, 15); // (1/3 + 1/3) / 2
    expect(got['recall@1']).toBe(0.5); // (0 + 1) / 2
    expect(got['recall@3']).toBe(0.75); // (1/2 + 1) / 2
    expect(got['mrr@3']).toBe(0.75); // (1/2 + 1) / 2
    // q0: DCG@3 = 1/log₂3, IDCG@3 = 1 + 1/log₂3 → 1/(log₂3 + 1) = 1/log₂6; q1: 1.
    expect(got['ndcg@3']).toBeCloseTo((1 / Math.log2(6) + 1) / 2, 15);
    // q0: precision 1/2 at its one relevant hit in the top 3, over min(3, 2) = 2 → 1/4; q1: 1.
    expect(got['map@3']).toBe(0.625);
  });

  test('sentence-transformers\' default cutoffs; precision@k divides by k even past the ranking', () => {
    const got = retrievalMetrics({ rankings: [['b', 'a']], relevant: [new Set(['a'])] });
    expect(Object.keys(got)).toEqual([
      'accuracy@1', 'accuracy@3', 'accuracy@5', 'accuracy@10', 'precision@1', 'precision@3', 'precision@5', 'precision@10',
      'recall@1', 'recall@3', 'recall@5', 'recall@10', 'ndcg@10', 'mrr@10', 'map@100',
    ]);
    expect([got['accuracy@1'], got['precision@10'], got['recall@3'], got['mrr@10'], got['map@100']]).toEqual([0, 0.1, 1, 0.5, 0.5]);
    expect(got['ndcg@10']).toBeCloseTo(1 / Math.log2(3), 15);
  });

  test('a query without relevant ids fails', () => {
    expect(() => retrievalMetrics({ rankings: [['a']], relevant: [new Set()] })).toThrow('[twinembed:eval] retrieval: query 0 has no relevant ids, expected at least one');
  });
});
