// Triplets (anchor, positive, negative), as sentence-transformers' TripletEvaluator: the share of
// triplets whose positive is more similar to the anchor than the negative, by more than a margin.
// For distances that is d(a, p) + margin < d(a, n).
import { fail } from '../../errors.js';
import { checkSimilarityFunctions, pairCount, pairedScores, type SimilarityFunction } from './paired-scores.js';
import { distinctTexts, embedLists, mainOf, type TextEvaluator, type TextMetrics } from './text-evaluator.js';

export interface EvaluateTripletsOptions {
  /** [count, dim] row-major each. */
  anchors: Float32Array;
  positives: Float32Array;
  negatives: Float32Array;
  dim: number;
  /** Default: all four. */
  similarities?: readonly SimilarityFunction[];
  /** Required lead of the positive's similarity over the negative's (default 0, strict >). */
  margin?: number;
}

/** `<fn>_accuracy` per similarity function, then `max_accuracy` when there are several. */
export function evaluateTriplets(options: EvaluateTripletsOptions): TextMetrics {
  const { anchors, positives, negatives, dim, margin = 0 } = options;
  const functions = checkSimilarityFunctions(options.similarities);
  const count = pairCount(anchors, positives, dim, ['anchors', 'positives']);
  pairCount(anchors, negatives, dim, ['anchors', 'negatives']);
  if (count === 0) fail('eval', 'triplets: expected at least one triplet, got none');
  if (!Number.isFinite(margin)) fail('eval', `margin: expected a finite number, got ${margin}`);
  const metrics: TextMetrics = {};
  for (const fn of functions) {
    const toPositive = pairedScores(anchors, positives, dim, fn);
    const toNegative = pairedScores(anchors, negatives, dim, fn);
    let correct = 0;
    for (let k = 0; k < count; k++) if (toPositive[k]! > toNegative[k]! + margin) correct++;
    metrics[`${fn}_accuracy`] = correct / count;
  }
  if (functions.length > 1) metrics.max_accuracy = functions.reduce((m, fn) => Math.max(m, metrics[`${fn}_accuracy`]!), -Infinity);
  return metrics;
}

export interface TripletEvaluatorOptions {
  anchors: readonly string[];
  positives: readonly string[];
  negatives: readonly string[];
  similarities?: readonly SimilarityFunction[];
  /** The primary metric is `<mainSimilarity>_accuracy`. Default cosine. */
  mainSimilarity?: SimilarityFunction;
  margin?: number;
}

export function tripletEvaluator(options: TripletEvaluatorOptions): TextEvaluator {
  const functions = checkSimilarityFunctions(options.similarities);
  const main = mainOf(functions, options.mainSimilarity);
  const distinct = distinctTexts([options.anchors, options.positives, options.negatives], ['anchors', 'positives', 'negatives']);
  if (options.anchors.length === 0) fail('eval', 'triplets: expected at least one triplet, got none');
  return {
    kind: 'triplets',
    primaryMetric: `${main}_accuracy`,
    examples: options.anchors.length,
    texts: distinct.texts.length,
    async evaluate(embedder, evaluateOptions) {
      const [anchors, positives, negatives] = await embedLists(embedder, distinct, evaluateOptions);
      return evaluateTriplets({ anchors: anchors!, positives: positives!, negatives: negatives!, dim: embedder.dim, similarities: functions, margin: options.margin });
    },
  };
}
