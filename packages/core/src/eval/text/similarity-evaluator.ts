// STS evaluation, as sentence-transformers' EmbeddingSimilarityEvaluator: the Pearson and
// Spearman correlation of each similarity of the two sentences' embeddings with the gold scores.
import { fail } from '../../errors.js';
import { pearson, spearman } from './correlation.js';
import { checkSimilarityFunctions, pairCount, pairedScores, type SimilarityFunction } from './paired-scores.js';
import { distinctTexts, embedLists, mainOf, type TextEvaluator, type TextMetrics } from './text-evaluator.js';

export interface EvaluateSimilarityOptions {
  /** [count, dim] row-major: the first and the second sentence of each pair. */
  embeddings1: Float32Array;
  embeddings2: Float32Array;
  dim: number;
  /** Gold similarity per pair (any scale: only its order and linearity matter). */
  scores: ArrayLike<number>;
  /** Default: all four, as sentence-transformers with similarity_fn_names of all four. */
  similarities?: readonly SimilarityFunction[];
}

/**
 * `pearson_<fn>` and `spearman_<fn>` for each similarity function, then `pearson_max` and
 * `spearman_max` when there are several. A correlation is NaN when a model's scores are constant.
 */
export function evaluateSimilarity(options: EvaluateSimilarityOptions): TextMetrics {
  const { embeddings1, embeddings2, dim, scores } = options;
  const functions = checkSimilarityFunctions(options.similarities);
  const count = pairCount(embeddings1, embeddings2, dim, ['embeddings1', 'embeddings2']);
  checkGold(scores, count);
  const metrics: TextMetrics = {};
  for (const fn of functions) {
    const predicted = pairedScores(embeddings1, embeddings2, dim, fn);
    metrics[`pearson_${fn}`] = pearson(scores, predicted);
    metrics[`spearman_${fn}`] = spearman(scores, predicted);
  }
  if (functions.length > 1) {
    metrics.pearson_max = functions.reduce((m, fn) => Math.max(m, metrics[`pearson_${fn}`]!), -Infinity);
    metrics.spearman_max = functions.reduce((m, fn) => Math.max(m, metrics[`spearman_${fn}`]!), -Infinity);
  }
  return metrics;
}

function checkGold(scores: ArrayLike<number>, count: number): void {
  if (scores.length !== count) fail('eval', `scores: expected one gold score per pair (${count}), got ${scores.length}`);
  if (count < 2) fail('eval', `scores: expected at least 2 pairs, got ${count}`);
  for (let i = 0; i < count; i++) if (!Number.isFinite(scores[i])) fail('eval', `scores: expected finite numbers, got ${scores[i]} at pair ${i}`);
  for (let i = 1; i < count; i++) if (scores[i] !== scores[0]) return;
  fail('eval', `scores: expected gold scores that vary, got ${scores[0]} for every pair`);
}

export interface SimilarityEvaluatorOptions {
  sentences1: readonly string[];
  sentences2: readonly string[];
  scores: ArrayLike<number>;
  similarities?: readonly SimilarityFunction[];
  /** The primary metric is `spearman_<mainSimilarity>`. Default cosine. */
  mainSimilarity?: SimilarityFunction;
}

/** An evaluator over sentence pairs with gold scores; its primary metric is `spearman_cosine`. */
export function similarityEvaluator(options: SimilarityEvaluatorOptions): TextEvaluator {
  const functions = checkSimilarityFunctions(options.similarities);
  const main = mainOf(functions, options.mainSimilarity);
  const distinct = distinctTexts([options.sentences1, options.sentences2], ['sentences1', 'sentences2']);
  const scores = Float64Array.from(options.scores as ArrayLike<number>);
  checkGold(scores, options.sentences1.length);
  return {
    kind: 'sts',
    primaryMetric: `spearman_${main}`,
    examples: scores.length,
    texts: distinct.texts.length,
    async evaluate(embedder, evaluateOptions) {
      const [embeddings1, embeddings2] = await embedLists(embedder, distinct, evaluateOptions);
      return evaluateSimilarity({ embeddings1: embeddings1!, embeddings2: embeddings2!, dim: embedder.dim, scores, similarities: functions });
    },
  };
}
