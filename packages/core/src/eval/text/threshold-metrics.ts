// Binary-classification figures of one score per pair (higher = more likely positive), as
// sentence-transformers' BinaryClassificationEvaluator reports them: the best accuracy and the
// best F1 over thresholds, average precision (scikit-learn's definition) and the MCC at the F1
// threshold. A threshold lies midway between two adjacent distinct scores: tied scores are never
// split, and every cut leaves at least one pair on each side.
import { fail } from '../../errors.js';

export interface BestAccuracy {
  accuracy: number;
  /** Positive when score ≥ threshold. With all scores equal there is no cut: accuracy 0, threshold NaN. */
  threshold: number;
}

export interface BestF1 {
  f1: number;
  precision: number;
  recall: number;
  /** NaN when no cut finds a positive. */
  threshold: number;
  /** Pairs called positive at that threshold (the highest-scoring ones). */
  predictedPositives: number;
}

/** Pair indices by descending score and the [start, end) runs of equal scores. */
function rankedRuns(scores: ArrayLike<number>, labels: ArrayLike<number>): { order: Int32Array; ends: number[]; positives: number } {
  if (scores.length !== labels.length) fail('eval', `pairs: expected one label per score (${scores.length}), got ${labels.length}`);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) fail('eval', `pairs: expected finite scores, got ${scores[i]} at pair ${i}`);
    if (labels[i] !== 0 && labels[i] !== 1) fail('eval', `pairs: expected labels 0 or 1, got ${labels[i]} at pair ${i}`);
    positives += labels[i]!;
  }
  if (positives === 0 || positives === scores.length) fail('eval', `pairs: expected both positive (1) and negative (0) labels, got ${positives} positive of ${scores.length}`);
  const order = Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const ends: number[] = [];
  for (let k = 1; k <= order.length; k++) if (k === order.length || scores[order[k]!] !== scores[order[k - 1]!]) ends.push(k);
  return { order, ends, positives };
}

interface Cut {
  /** The first m pairs of the ranking are called positive… */
  m: number;
  /** …of which tp are positive… */
  tp: number;
  /** …by the rule score ≥ threshold. */
  threshold: number;
}

/** Every cut between two runs of equal scores, highest threshold first, and the count of positives. */
function cuts(scores: ArrayLike<number>, labels: ArrayLike<number>): { cuts: Cut[]; positives: number } {
  const { order, ends, positives } = rankedRuns(scores, labels);
  const out: Cut[] = [];
  let tp = 0;
  let k = 0;
  for (const end of ends.slice(0, -1)) {
    for (; k < end; k++) tp += labels[order[k]!]!;
    out.push({ m: end, tp, threshold: (scores[order[end - 1]!]! + scores[order[end]!]!) / 2 });
  }
  return { cuts: out, positives };
}

export function bestAccuracy(scores: ArrayLike<number>, labels: ArrayLike<number>): BestAccuracy {
  const n = scores.length;
  const { cuts: all, positives } = cuts(scores, labels);
  let best: BestAccuracy = { accuracy: 0, threshold: NaN };
  all.forEach(({ m, tp, threshold }, i) => {
    const accuracy = (tp + (n - positives) - (m - tp)) / n; // (TP + TN) / n
    if (i === 0 || accuracy > best.accuracy) best = { accuracy, threshold };
  });
  return best;
}

/** F1 = 2PR / (P + R) with P = TP / called positive, R = TP / positives; the first (highest) best threshold wins. */
export function bestF1(scores: ArrayLike<number>, labels: ArrayLike<number>): BestF1 {
  const { cuts: all, positives } = cuts(scores, labels);
  let best: BestF1 = { f1: 0, precision: 0, recall: 0, threshold: NaN, predictedPositives: 0 };
  for (const { m, tp, threshold } of all) {
    if (tp === 0) continue;
    const precision = tp / m;
    const recall = tp / positives;
    const f1 = (2 * precision * recall) / (precision + recall);
    if (f1 > best.f1) best = { f1, precision, recall, threshold, predictedPositives: m };
  }
  return best;
}

/** AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct scores, highest first (sklearn's average_precision_score). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { order, ends, positives } = rankedRuns(scores, labels);
  let ap = 0;
  let tp = 0;
  let k = 0;
  for (const end of ends) {
    const before = tp;
    for (; k < end; k++) tp += labels[order[k]!]!;
    ap += ((tp - before) / positives) * (tp / end);
  }
  return ap;
}

/**
 * Matthews correlation (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) when the `called`
 * highest-scoring pairs are called positive; 0 when a factor is 0, as scikit-learn.
 */
export function matthewsAtCut(scores: ArrayLike<number>, labels: ArrayLike<number>, called: number): number {
  const { order, positives } = rankedRuns(scores, labels);
  let tp = 0;
  for (let k = 0; k < called; k++) tp += labels[order[k]!]!;
  const fp = called - tp;
  const fn = positives - tp;
  const tn = scores.length - called - fn;
  const denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return denominator === 0 ? 0 : (tp * tn - fp * fn) / denominator;
}
