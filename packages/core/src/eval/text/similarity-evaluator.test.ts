import { describe, expect, test } from 'vitest';
import { evaluateSimilarity, similarityEvaluator } from './similarity-evaluator.js';
import type { TextEmbedder } from './text-evaluator.js';

// Four pairs of 2-d rows and their similarities (higher = more alike):
//   pair  first   second   cosine  dot  euclidean  manhattan   gold
//   0     (1,0)   (1,0)    1       1    −0         −0          5
//   1     (1,0)   (0,1)    0       0    −√2        −2          2
//   2     (1,0)   (−1,0)   −1      −1   −2         −2          0
//   3     (2,0)   (1,1)    1/√2    2    −√2        −2          4
const embeddings1 = Float32Array.of(1, 0, 1, 0, 1, 0, 2, 0);
const embeddings2 = Float32Array.of(1, 0, 0, 1, -1, 0, 1, 1);
const scores = [5, 2, 0, 4];

describe('evaluateSimilarity', () => {
  test('Pearson and Spearman of each similarity, keyed as sentence-transformers', () => {
    const got = evaluateSimilarity({ embeddings1, embeddings2, dim: 2, scores });
    expect(Object.keys(got)).toEqual([
      'pearson_cosine', 'spearman_cosine', 'pearson_dot', 'spearman_dot', 'pearson_euclidean', 'spearman_euclidean',
      'pearson_manhattan', 'spearman_manhattan', 'pearson_max', 'spearman_max',
    ]);
    // Spearman by hand: cosine ranks 4,2,1,3 = gold's → 1. Manhattan ranks 4,2,2,2 (ties averaged)
    // against 4,2,1,3: Σdxdy = 3, Σdx² = 3, Σdy² = 5 → 3/√15.
    expect(got.spearman_cosine).toBeCloseTo(1, 15);
    expect(got.spearman_manhattan).toBeCloseTo(3 / Math.sqrt(15), 15);
    // The rest from scipy 1.17.1 on the columns above (pearsonr / spearmanr against gold):
    expect(got.pearson_cosine).toBeCloseTo(0.9941141289633979, 14);
    expect(got.pearson_dot).toBeCloseTo(0.8733337646093728, 14);
    expect(got.spearman_dot).toBeCloseTo(0.8, 14);
    expect(got.pearson_euclidean).toBeCloseTo(0.8468656918206053, 14);
    expect(got.spearman_euclidean).toBeCloseTo(0.9486832980505139, 14);
    expect(got.pearson_manhattan).toBeCloseTo(0.6764814252025458, 14);
    expect([got.pearson_max, got.spearman_max]).toEqual([got.pearson_cosine, got.spearman_cosine]);
  });

  test('one similarity gives its two keys and no max', () => {
    expect(Object.keys(evaluateSimilarity({ embeddings1, embeddings2, dim: 2, scores, similarities: ['dot'] }))).toEqual(['pearson_dot', 'spearman_dot']);
  });

  test('bad input fails once, with what was wrong', () => {
    expect(() => evaluateSimilarity({ embeddings1, embeddings2: embeddings2.subarray(2), dim: 2, scores })).toThrow('[twinembed:eval] embeddings2: expected as many values as embeddings1 (8), got 6');
    expect(() => evaluateSimilarity({ embeddings1, embeddings2, dim: 2, scores: [1, 2, 3] })).toThrow('scores: expected one gold score per pair (4), got 3');
    expect(() => evaluateSimilarity({ embeddings1, embeddings2, dim: 2, scores: [1, 1, 1, 1] })).toThrow('scores: expected gold scores that vary, got 1 for every pair');
    expect(() => evaluateSimilarity({ embeddings1, embeddings2, dim: 2, scores, similarities: ['angle' as 'dot'] })).toThrow('similarities: expected cosine, dot, euclidean or manhattan, got "angle"');
  });
});

/** A model as a table: each text's row, and which texts it was asked for. */
function tableEmbedder(rows: Record<string, number[]>): TextEmbedder & { asked: string[] } {
  const asked: string[] = [];
  return {
    dim: 2,
    asked,
    embedMatrix: async (inputs) => {
      asked.push(...(inputs as string[]));
      return Float32Array.from((inputs as string[]).flatMap((t) => rows[t]!));
    },
  };
}

describe('similarityEvaluator', () => {
  test('embeds each distinct sentence once and scores the pairs as evaluateSimilarity', async () => {
    const embedder = tableEmbedder({ a: [1, 0], b: [0, 1], c: [-1, 0], d: [2, 0], e: [1, 1] });
    const evaluator = similarityEvaluator({ sentences1: ['a', 'a', 'a', 'd'], sentences2: ['a', 'b', 'c', 'e'], scores });
    expect([evaluator.kind, evaluator.primaryMetric, evaluator.examples, evaluator.texts]).toEqual(['sts', 'spearman_cosine', 4, 5]);
    const got = await evaluator.evaluate(embedder);
    expect(embedder.asked).toEqual(['a', 'd', 'b', 'c', 'e']);
    expect(got).toEqual(evaluateSimilarity({ embeddings1, embeddings2, dim: 2, scores }));
  });

  test('mainSimilarity names the primary metric and must be computed', () => {
    const pairs = { sentences1: ['a', 'b'], sentences2: ['b', 'a'], scores: [0, 1] };
    expect(similarityEvaluator({ ...pairs, mainSimilarity: 'dot' }).primaryMetric).toBe('spearman_dot');
    expect(similarityEvaluator({ ...pairs, similarities: ['euclidean'] }).primaryMetric).toBe('spearman_euclidean');
    expect(() => similarityEvaluator({ ...pairs, similarities: ['dot'], mainSimilarity: 'cosine' })).toThrow('mainSimilarity: expected one of the computed similarities (dot), got "cosine"');
    expect(() => similarityEvaluator({ ...pairs, sentences2: ['b'] })).toThrow('sentences2: expected 2 texts (as sentences1), got 1');
  });
});
