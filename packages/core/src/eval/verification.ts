// Verification ("are these two the same class?"): balanced seeded pairs, and the two figures
// reported for them: ROC-AUC (Mann–Whitney U / (P·N), ties counted ½) and the best accuracy
// of one threshold, with that threshold.
import { fail } from '../errors.js';
import { seededRandom } from '../random.js';

export interface VerificationPairsOptions {
  labels: ArrayLike<number>;
  /** Number of pairs: ⌈pairs / 2⌉ same-class, ⌊pairs / 2⌋ different-class. */
  pairs: number;
  seed: number;
}

export interface VerificationPairs {
  first: Int32Array;
  second: Int32Array;
  /** 1 when first and second are of the same class. */
  same: Uint8Array;
}

export interface VerificationMetrics {
  rocAuc: number;
  /** Best accuracy of the rule "same when score ≥ threshold" over all thresholds. */
  accuracy: number;
  /** The lowest score called "same" by that rule (Infinity when calling every pair different is best). */
  threshold: number;
}

/**
 * Pairs drawn with replacement: a same pair is a class drawn uniformly among those with ≥ 2
 * examples and two distinct examples of it; a different pair is two distinct classes drawn
 * uniformly and one example of each. Even pairs (0, 2, …) are same, odd ones different.
 */
export function verificationPairs(options: VerificationPairsOptions): VerificationPairs {
  const { labels, pairs, seed } = options;
  if (!Number.isInteger(pairs) || pairs < 2) fail('eval', `pairs: expected an integer ≥ 2, got ${pairs}`);
  if (!Number.isInteger(seed)) fail('eval', `seed: expected an integer, got ${seed}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]!);
    if (list) list.push(i);
    else byClass.set(labels[i]!, [i]);
  }
  const classes = [...byClass.values()];
  const pairable = classes.filter((list) => list.length >= 2);
  if (pairable.length === 0 || classes.length < 2) {
    fail('eval', `cannot draw verification pairs: expected ≥ 2 classes, at least one with ≥ 2 examples, got ${classes.length} classes, ${pairable.length} with ≥ 2 examples`);
  }
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const out = { first: new Int32Array(pairs), second: new Int32Array(pairs), same: new Uint8Array(pairs) };
  for (let k = 0; k < pairs; k++) {
    if (k % 2 === 0) {
      const list = pairable[pick(pairable.length)]!;
      const i = pick(list.length);
      const j = (i + 1 + pick(list.length - 1)) % list.length;
      [out.first[k], out.second[k], out.same[k]] = [list[i]!, list[j]!, 1];
    } else {
      const a = pick(classes.length);
      const b = (a + 1 + pick(classes.length - 1)) % classes.length;
      [out.first[k], out.second[k]] = [classes[a]![pick(classes[a]!.length)]!, classes[b]![pick(classes[b]!.length)]!];
    }
  }
  return out;
}

/** Indices sorted by score, in runs of equal scores: [start, end) of each run. */
function tieRuns(order: Int32Array, scores: ArrayLike<number>): [number, number][] {
  const runs: [number, number][] = [];
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    runs.push([start, end]);
    start = end;
  }
  return runs;
}

/** ROC-AUC and best-threshold accuracy of `scores` (higher = more likely same) against `same`. */
export function verificationMetrics(scores: ArrayLike<number>, same: ArrayLike<number | boolean>): VerificationMetrics {
  const n = scores.length;
  if (same.length !== n) fail('eval', `verification: expected one label per score (${n}), got ${same.length}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(scores[i])) fail('eval', `verification: expected finite scores, got ${scores[i]} at pair ${i}`);
  const isSame = (i: number) => Boolean(same[i]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (isSame(i)) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) fail('eval', `verification: expected both same and different pairs, got ${positives} same and ${negatives} different`);
  // Descending: walking down the list lowers the threshold one run of equal scores at a time.
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let rankSum = 0; // ascending ranks (1 = lowest score), ties given their average rank
  let truePos = 0;
  let falsePos = 0;
  let best = { accuracy: negatives / n, threshold: Infinity };
  for (const [start, end] of tieRuns(order, scores)) {
    const runPositives = order.subarray(start, end).reduce((s, i) => s + (isSame(i) ? 1 : 0), 0);
    rankSum += runPositives * (n - (start + end - 1) / 2);
    truePos += runPositives;
    falsePos += end - start - runPositives;
    const accuracy = (truePos + negatives - falsePos) / n;
    if (accuracy >= best.accuracy) best = { accuracy, threshold: scores[order[start]!]! };
  }
  const rocAuc = (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
  return { rocAuc, ...best };
}
