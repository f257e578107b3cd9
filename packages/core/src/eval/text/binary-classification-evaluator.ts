// Labelled pairs (1 = same meaning), as sentence-transformers' BinaryClassificationEvaluator:
// for each similarity, the best-threshold accuracy and F1 (with precision and recall), average
// precision and the MCC at the F1 threshold. Distances (euclidean, manhattan) rank the nearest
// first and report their thresholds as distances: a pair is positive when distance ≤ threshold.
import { fail } from '../../errors.js';
import { checkSimilarityFunctions, isDistance, pairCount, pairedScores, type SimilarityFunction } from './paired-scores.js';
import { distinctTexts, embedLists, mainOf, type TextEvaluator, type TextMetrics } from './text-evaluator.js';
import { averagePrecision, bestAccuracy, bestF1, matthewsAtCut } from './threshold-metrics.js';

export interface EvaluateBinaryClassificationOptions {
  embeddings1: Float32Array;
  embeddings2: Float32Array;
  dim: number;
  /** 1 for a positive pair (paraphrase, duplicate), 0 for a negative one. */
  labels: ArrayLike<number>;
  /** Default: all four. */
  similarities?: readonly SimilarityFunction[];
}

const FIGURES = ['accuracy', 'accuracy_threshold', 'f1', 'f1_threshold', 'precision', 'recall', 'ap', 'mcc'] as const;

/**
 * `<fn>_accuracy`, `<fn>_accuracy_threshold`, `<fn>_f1`, `<fn>_f1_threshold`, `<fn>_precision`,
 * `<fn>_recall`, `<fn>_ap`, `<fn>_mcc` per similarity function; with several, `max_<figure>` of
 * each figure but the thresholds (a maximum of thresholds on different scales means nothing).
 */
export function evaluateBinaryClassification(options: EvaluateBinaryClassificationOptions): TextMetrics {
  const { embeddings1, embeddings2, dim, labels } = options;
  const functions = checkSimilarityFunctions(options.similarities);
  const count = pairCount(embeddings1, embeddings2, dim, ['embeddings1', 'embeddings2']);
  if (labels.length !== count) fail('eval', `labels: expected one label per pair (${count}), got ${labels.length}`);
  const metrics: TextMetrics = {};
  for (const fn of functions) {
    const scores = pairedScores(embeddings1, embeddings2, dim, fn);
    const sign = isDistance(fn) ? -1 : 1; // scores are −distance: thresholds go back to distances
    const accuracy = bestAccuracy(scores, labels);
    const f1 = bestF1(scores, labels);
    const figures = {
      accuracy: accuracy.accuracy, accuracy_threshold: sign * accuracy.threshold, f1: f1.f1, f1_threshold: sign * f1.threshold,
      precision: f1.precision, recall: f1.recall, ap: averagePrecision(scores, labels), mcc: matthewsAtCut(scores, labels, f1.predictedPositives),
    };
    for (const figure of FIGURES) metrics[`${fn}_${figure}`] = figures[figure];
  }
  if (functions.length > 1) {
    for (const figure of FIGURES.filter((f) => !f.endsWith('threshold'))) metrics[`max_${figure}`] = functions.reduce((m, fn) => Math.max(m, metrics[`${fn}_${figure}`]!), -Infinity);
  }
  return metrics;
}

export interface BinaryClassificationEvaluatorOptions {
  sentences1: readonly string[];
  sentences2: readonly string[];
  labels: ArrayLike<number>;
  similarities?: readonly SimilarityFunction[];
  /** The primary metric is `<mainSimilarity>_ap`. Default cosine. */
  mainSimilarity?: SimilarityFunction;
}

export function binaryClassificationEvaluator(options: BinaryClassificationEvaluatorOptions): TextEvaluator {
  const functions = checkSimilarityFunctions(options.similarities);
  const main = mainOf(functions, options.mainSimilarity);
  const distinct = distinctTexts([options.sentences1, options.sentences2], ['sentences1', 'sentences2']);
  const labels = Uint8Array.from(options.labels as ArrayLike<number>, (label, i) => {
    if (label !== 0 && label !== 1) fail('eval', `labels: expected 0 or 1, got ${label} at pair ${i}`);
    return label;
  });
  if (labels.length !== options.sentences1.length) fail('eval', `labels: expected one label per pair (${options.sentences1.length}), got ${labels.length}`);
  return {
    kind: 'pairs',
    primaryMetric: `${main}_ap`,
    examples: labels.length,
    texts: distinct.texts.length,
    async evaluate(embedder, evaluateOptions) {
      const [embeddings1, embeddings2] = await embedLists(embedder, distinct, evaluateOptions);
      return evaluateBinaryClassification({ embeddings1: embeddings1!, embeddings2: embeddings2!, dim: embedder.dim, labels, similarities: functions });
    },
  };
}
