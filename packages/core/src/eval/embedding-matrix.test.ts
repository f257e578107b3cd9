import { describe, expect, test } from 'vitest';
import { pairSimilarities, toEmbeddingMatrix } from './embedding-matrix.js';

describe('pairSimilarities', () => {
  const list = [[3, 4], [0, 0], [6, 8], [-3, -4], [4, -3]].map((r) => Float32Array.from(r));
  const a = Int32Array.of(0, 0, 0, 1, 0);
  const b = Int32Array.of(2, 3, 1, 1, 4);

  test('−distance and cosine by hand; a zero row has cosine 0; a list and a matrix agree', () => {
    expect(Array.from(pairSimilarities(list, a, b, 'euclidean'))).toEqual([-5, -10, -5, -0, -Math.sqrt(50)]);
    expect(Array.from(pairSimilarities(list, a, b, 'cosine'))).toEqual([1, -1, 0, 0, 0]);
    const matrix = toEmbeddingMatrix(list);
    expect([matrix.dim, matrix.count]).toEqual([2, 5]);
    expect(pairSimilarities(matrix, a, b, 'cosine')).toEqual(pairSimilarities(list, a, b, 'cosine'));
  });

  test('bad input', () => {
    expect(() => pairSimilarities(list, a, b.subarray(1), 'cosine')).toThrow('[twinembed:eval] pairs: expected as many first as second indices, got 5 and 4');
    expect(() => pairSimilarities(list, Int32Array.of(5), Int32Array.of(0), 'cosine')).toThrow('[twinembed:eval] pairs: example 5 is outside the 5 embeddings');
    expect(() => toEmbeddingMatrix({ data: new Float32Array(5), dim: 2 })).toThrow('[twinembed:eval] embeddings: expected a [count, dim] matrix, got 5 values with dim 2');
    expect(() => toEmbeddingMatrix([])).toThrow('[twinembed:eval] embeddings: expected at least one row, got none');
  });
});
