import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random.js';
import { oneShotEpisodes, type Episode } from './one-shot-episodes.js';
import { scoreEpisodes, scoreEpisodesByPairs } from './score-episodes.js';

const episode = (support: number[], query: number[]): Episode => ({ classes: query.map((_, c) => c), support: Int32Array.from(support), query: Int32Array.from(query) });
const rows = (...values: number[][]) => values.map((v) => Float32Array.from(v));

describe('scoreEpisodes', () => {
  test('embeddings that are exact class codes: accuracy 1, interval 0, for 1 and 3 shots and both metrics', () => {
    const labels = Int32Array.from({ length: 12 * 5 }, (_, i) => i % 12);
    const codes = Array.from(labels, (l) => Float32Array.from({ length: 12 }, (_, j) => (j === l ? 2 : 0)));
    for (const shots of [1, 3]) {
      const episodes = oneShotEpisodes({ labels, ways: 6, shots, episodes: 40, withinGroup: false, seed: 3 });
      for (const metric of ['euclidean', 'cosine'] as const) {
        const scores = scoreEpisodes(episodes, codes, { metric });
        expect([scores.accuracy, scores.ci95, scores.episodeAccuracies.length]).toEqual([1, 0, 40]);
      }
    }
  });

  test('half the queries provably wrong; the interval is 1.96·std/√n with numpy\'s std', () => {
    // Examples 0–3 are the supports of classes 0–3 (one-hot codes). Episode 1's queries for classes 2
    // and 3 sit on each other's code: 2 of 4 right. Episode 0's queries are all on their own codes.
    const embeddings = rows([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0.9, 0, 0, 0.1], [0, 0.8, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]);
    const episodes = [episode([0, 1, 2, 3], [4, 5, 8, 9]), episode([0, 1, 2, 3], [4, 5, 6, 7])];
    const scores = scoreEpisodes(episodes, embeddings, { metric: 'euclidean' });
    expect(Array.from(scores.episodeAccuracies)).toEqual([1, 0.5]);
    expect(scores.accuracy).toBe(0.75);
    expect(scores.ci95).toBeCloseTo((1.96 * 0.25) / Math.sqrt(2), 15);
  });

  test('shots > 1 compares with the class mean, not the nearest support', () => {
    // Class 0 supports at 0 and 10 (mean 5), class 1 at 6 and 6. The query of class 0 at 4.9 is
    // nearest to a class-1 support (1.1 vs 4.9) but to the class-0 mean (0.1 vs 1.1).
    const embeddings = rows([0], [10], [6], [6], [4.9], [6.5]);
    const scores = scoreEpisodes([episode([0, 1, 2, 3], [4, 5])], embeddings, { metric: 'euclidean' });
    expect(scores.accuracy).toBe(1);
    // Scored by pairs with a mean over supports, the same ranking holds for −|a − b| (means 5.1 vs 1.1).
    const values = [0, 10, 6, 6, 4.9, 6.5];
    const byPairs = scoreEpisodesByPairs([episode([0, 1, 2, 3], [4, 5])], (q, s) => Float64Array.from(q, (qi, k) => -Math.abs(values[qi]! - values[s[k]!]!)));
    return expect(byPairs.then((r) => r.accuracy)).resolves.toBe(0.5);
  });

  test('cosine ignores length, euclidean does not', () => {
    // Query of class 0 is (9, 0): same direction as class 0's (1, 0), but nearer to class 1's (10, 1).
    const embeddings = rows([1, 0], [10, 1], [9, 0], [20, 2]);
    const episodes = [episode([0, 1], [2, 3])];
    expect(scoreEpisodes(episodes, embeddings, { metric: 'euclidean' }).accuracy).toBe(0.5);
    expect(scoreEpisodes(episodes, embeddings, { metric: 'cosine' }).accuracy).toBe(1);
  });

  test.each([2, 4])('a tie among k classes that includes the right one counts 1/k (dim %i)', (dim) => {
    // Classes 1 and 2 share a code; class 0's query is right, the other two queries tie between 1 and 2.
    const code = (k: number) => Array.from({ length: dim }, (_, j) => (j === k ? 0.3 : 0.1));
    const embeddings = rows(code(0), code(1), code(1), code(0), code(1), code(1));
    for (const metric of ['euclidean', 'cosine'] as const) {
      expect(scoreEpisodes([episode([0, 1, 2], [3, 4, 5])], embeddings, { metric }).accuracy).toBeCloseTo(2 / 3, 15);
    }
  });

  // dim 16 runs the WebAssembly SIMD kernels, dim 15 the JS loops.
  test.each([16, 15])('dim %i: a matrix and a list of rows give the same scores; a float64 pair scorer agrees on random data', async (dim) => {
    const random = seededRandom(11);
    const labels = Int32Array.from({ length: 400 }, (_, i) => i % 40);
    // Class centres plus noise as large as their spread: many queries land wrong.
    const centres = Array.from({ length: 40 }, () => Array.from({ length: dim }, () => random()));
    const data = Float32Array.from({ length: 400 * dim }, (_, k) => centres[labels[Math.floor(k / dim)]!]![k % dim]! + random() - 0.5);
    const list = Array.from({ length: 400 }, (_, i) => data.slice(i * dim, (i + 1) * dim));
    const episodes = oneShotEpisodes({ labels, ways: 10, shots: 1, episodes: 100, withinGroup: false, seed: 2 });
    const fromMatrix = scoreEpisodes(episodes, { data, dim }, { metric: 'euclidean' });
    expect(fromMatrix).toEqual(scoreEpisodes(episodes, list, { metric: 'euclidean' }));
    expect(fromMatrix.accuracy).toBeGreaterThan(0.3);
    expect(fromMatrix.accuracy).toBeLessThan(0.95);
    const byPairs = await scoreEpisodesByPairs(episodes, async (q, s) => Float64Array.from(q, (qi, k) => {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (data[qi * dim + j]! - data[s[k]! * dim + j]!) ** 2;
      return -d;
    }));
    expect(Array.from(byPairs.episodeAccuracies)).toEqual(Array.from(fromMatrix.episodeAccuracies));
    const cosine = scoreEpisodes(episodes, { data, dim }, { metric: 'cosine' });
    const byCosinePairs = await scoreEpisodesByPairs(episodes, (q, s) => Float64Array.from(q, (qi, k) => {
      let [ab, aa, bb] = [0, 0, 0];
      for (let j = 0; j < dim; j++) {
        const [x, y] = [data[qi * dim + j]!, data[s[k]! * dim + j]!];
        [ab, aa, bb] = [ab + x * y, aa + x * x, bb + y * y];
      }
      return ab / Math.sqrt(aa * bb);
    }));
    expect(Array.from(cosine.episodeAccuracies)).toEqual(Array.from(byCosinePairs.episodeAccuracies));
  });

  test('bad input', async () => {
    const embeddings = rows([1, 0], [0, 1]);
    expect(() => scoreEpisodes([], embeddings, { metric: 'euclidean' })).toThrow('[twinembed:eval] episodes: expected at least one episode, got none');
    expect(() => scoreEpisodes([episode([0, 1], [0, 2])], embeddings, { metric: 'euclidean' })).toThrow('[twinembed:eval] episode 0: example 2 is outside the 2 embeddings');
    expect(() => scoreEpisodes([episode([0, 1], [1, 0])], embeddings, { metric: 'l1' as 'cosine' })).toThrow('[twinembed:eval] metric: expected euclidean or cosine, got "l1"');
    expect(() => scoreEpisodes([episode([0, 1], [1, 0])], rows([1, 0], [0]), { metric: 'cosine' })).toThrow('[twinembed:eval] embeddings[1]: expected 2 values (as row 0), got 1');
    expect(() => scoreEpisodes([episode([0, 1], [1, 0])], rows([NaN, 0], [0, 1]), { metric: 'euclidean' })).toThrow('[twinembed:eval] episode 0: expected finite similarities, got NaN for query 0 and class 0 (NaN in the embeddings or pair scores?)');
    await expect(scoreEpisodesByPairs([episode([0, 1], [1, 0])], () => new Float32Array(3))).rejects.toThrow('[twinembed:eval] pair scorer: expected 4 scores (one per pair), got 3');
  });
});
