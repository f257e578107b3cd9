// Accuracy over one-shot episodes: each query goes to the class whose prototype (its support, or
// the mean of its supports when shots > 1, as in prototypical networks) is most similar, or, with a
// learned pair head, to the class with the highest mean pair score. Reported with a 95% interval.
import { fail } from '../errors.js';
import { normalizeRow } from '../vector-index/distance.js';
import { blockSimilarity } from './block-similarity.js';
import { classPrototype } from './class-prototype.js';
import { checkIndices, checkMetric, toEmbeddingMatrix, type EmbeddingRows, type EvalMetric } from './embedding-matrix.js';
import type { Episode } from './one-shot-episodes.js';

export interface EpisodeScores {
  /** Mean of the per-episode accuracies. */
  accuracy: number;
  /** 1.96 · std / √episodes, std over per-episode accuracies with ddof 0 (numpy's np.std), as few-shot papers report. */
  ci95: number;
  /** Fraction of each episode's queries classified right; a tie among k classes including the right one counts 1/k. */
  episodeAccuracies: Float64Array;
}

/** Scores for (query, support) pairs, higher = more similar; e.g. a Koch pair head's logits. */
export type PairScorer = (queries: Int32Array, supports: Int32Array) => Float32Array | Float64Array | Promise<Float32Array | Float64Array>;

export function summarizeAccuracies(episodeAccuracies: Float64Array): EpisodeScores {
  const n = episodeAccuracies.length;
  const accuracy = episodeAccuracies.reduce((s, a) => s + a, 0) / n;
  const variance = episodeAccuracies.reduce((s, a) => s + (a - accuracy) ** 2, 0) / n;
  return { accuracy, ci95: (1.96 * Math.sqrt(variance)) / Math.sqrt(n), episodeAccuracies };
}

/** Accuracy of one episode from its [ways queries × ways classes] similarity matrix (row q's right class is q). */
function episodeAccuracy(sim: Float64Array, ways: number, e: number): number {
  let correct = 0;
  for (let q = 0; q < ways; q++) {
    let best = -Infinity;
    let tied = 0;
    for (let c = 0; c < ways; c++) {
      const s = sim[q * ways + c]!;
      if (Number.isNaN(s)) fail('eval', `episode ${e}: expected finite similarities, got NaN for query ${q} and class ${c} (NaN in the embeddings or pair scores?)`);
      if (s > best) [best, tied] = [s, 1];
      else if (s === best) tied++;
    }
    if (sim[q * ways + q] === best) correct += 1 / tied;
  }
  return correct / ways;
}

function episodeShape(episode: Episode, e: number): { ways: number; shots: number } {
  const ways = episode.classes.length;
  const shots = episode.support.length / ways;
  if (ways < 2 || episode.query.length !== ways || !Number.isInteger(shots) || shots < 1) {
    fail('eval', `episode ${e}: expected ways ≥ 2 classes, one query per class and shots supports per class, got ${ways} classes, ${episode.query.length} queries, ${episode.support.length} supports`);
  }
  return { ways, shots };
}

function checkEpisodes(episodes: readonly Episode[]): void {
  if (episodes.length === 0) fail('eval', 'episodes: expected at least one episode, got none');
}

/**
 * Packs one episode as [ways query rows, then ways prototypes] into `rows`: a prototype is the mean
 * of its class's support rows. For cosine every packed row is then L2-normalized.
 */
function packEpisode(rows: Float32Array, data: Float32Array, dim: number, episode: Episode, shots: number, cosine: boolean): void {
  const ways = episode.query.length;
  rows.fill(0, 0, 2 * ways * dim);
  for (let q = 0; q < ways; q++) {
    rows.set(data.subarray(episode.query[q]! * dim, (episode.query[q]! + 1) * dim), q * dim);
    if (cosine) normalizeRow(rows, q * dim, dim);
  }
  for (let c = 0; c < ways; c++) {
    const at = (ways + c) * dim;
    classPrototype(rows, at, data, dim, episode.support.subarray(c * shots, (c + 1) * shots));
    if (cosine) normalizeRow(rows, at, dim);
  }
}

/**
 * Nearest-prototype accuracy over `episodes`. Euclidean compares squared distances to the class
 * means; cosine compares the query's direction with that of each class mean.
 */
export function scoreEpisodes(episodes: readonly Episode[], embeddings: EmbeddingRows, options: { metric: EvalMetric }): EpisodeScores {
  checkEpisodes(episodes);
  const cosine = checkMetric(options.metric) === 'cosine';
  const matrix = toEmbeddingMatrix(embeddings);
  const { dim, count } = matrix;
  const shapes = episodes.map(episodeShape);
  episodes.forEach((episode, e) => {
    checkIndices(`episode ${e}`, episode.support, count);
    checkIndices(`episode ${e}`, episode.query, count);
  });
  const { data } = matrix;
  const maxWays = shapes.reduce((m, s) => Math.max(m, s.ways), -Infinity);
  const block = blockSimilarity(dim, maxWays, cosine);
  const rows = new Float32Array(2 * maxWays * dim);
  const accuracies = episodes.map((episode, e) => {
    const { ways, shots } = shapes[e]!;
    packEpisode(rows, data, dim, episode, shots, cosine);
    const sim = new Float64Array(ways * ways);
    block(rows.subarray(0, 2 * ways * dim), ways, sim);
    return episodeAccuracy(sim, ways, e);
  });
  return summarizeAccuracies(Float64Array.from(accuracies));
}

/**
 * Accuracy with a pair scorer: `score` is called once with every (query, support) pair of every
 * episode; a class's score is the mean over its supports.
 */
export async function scoreEpisodesByPairs(episodes: readonly Episode[], score: PairScorer): Promise<EpisodeScores> {
  checkEpisodes(episodes);
  const shapes = episodes.map(episodeShape);
  const total = shapes.reduce((n, { ways, shots }) => n + ways * ways * shots, 0);
  const queries = new Int32Array(total);
  const supports = new Int32Array(total);
  let k = 0;
  episodes.forEach((episode, e) => {
    const { ways, shots } = shapes[e]!;
    for (let q = 0; q < ways; q++) for (let i = 0; i < ways * shots; i++, k++) [queries[k], supports[k]] = [episode.query[q]!, episode.support[i]!];
  });
  const scores = await score(queries, supports);
  if (scores.length !== total) fail('eval', `pair scorer: expected ${total} scores (one per pair), got ${scores.length}`);
  k = 0;
  const accuracies = shapes.map(({ ways, shots }, e) => {
    const sim = new Float64Array(ways * ways);
    for (let q = 0; q < ways; q++) for (let i = 0; i < ways * shots; i++, k++) sim[q * ways + Math.floor(i / shots)]! += scores[k]! / shots;
    return episodeAccuracy(sim, ways, e);
  });
  return summarizeAccuracies(Float64Array.from(accuracies));
}
