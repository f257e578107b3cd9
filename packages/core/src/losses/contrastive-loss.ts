// Pair losses on a distance: sentence-transformers' ContrastiveLoss and OnlineContrastiveLoss,
// and the Hadsell et al. form the seed wrote (no 0.5 factor, euclidean without eps).
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { pairwiseDistance, type Distance } from './distances.js';
import type { PairInputs } from './loss-inputs.js';
import { distanceOf, finite, nonNegative } from './loss-options.js';

export interface ContrastiveLossOptions {
  /** Default 'cosine' (1 − cos), as sentence-transformers' SiameseDistanceMetric.COSINE_DISTANCE. */
  distance?: Distance;
  /** Default 0.5. */
  margin?: number;
  /** Added inside euclidean and manhattan norms, as F.pairwise_distance (default 1e-6). */
  eps?: number;
  /** Mean over pairs (default true) or sum. */
  sizeAverage?: boolean;
  /** Default 0.5 (sentence-transformers); 1 for Hadsell et al. */
  factor?: number;
}

/** L = mean f·[y·d² + (1 − y)·relu(m − d)²], f = 0.5, d = cosine distance, m = 0.5 by default. */
export function contrastiveLoss(b: GraphBuilder, inputs: PairInputs, options: ContrastiveLossOptions = {}): Value {
  const where = 'ContrastiveLoss';
  const distance = distanceOf(where, options.distance, 'cosine');
  const margin = finite(where, 'margin', options.margin, 0.5);
  const eps = nonNegative(where, 'eps', options.eps, 1e-6);
  const factor = finite(where, 'factor', options.factor, 0.5);
  const d = pairwiseDistance(b, inputs.anchor, inputs.other, distance, eps);
  const y = inputs.labels;
  const push = b.op.Relu(b.op.Sub(margin, d));
  const terms = b.op.Add(b.op.Mul(y, b.op.Mul(d, d)), b.op.Mul(b.op.Sub(1, y), b.op.Mul(push, push)));
  const scaled = factor === 1 ? terms : b.op.Mul(terms, factor);
  return options.sizeAverage === false ? b.op.ReduceSum(scaled, { keepdims: 0 }) : b.op.ReduceMean(scaled, { keepdims: 0 });
}

export interface HadsellContrastiveLossOptions {
  /** Default 1. */
  margin?: number;
  /** Default 'euclidean'. */
  distance?: Distance;
  /** Default 0: ‖x − y‖₂ exactly, as F.pairwise_distance(eps=0). */
  eps?: number;
}

/** Hadsell et al. 2006: L = mean y·D² + (1 − y)·max(m − D, 0)², D euclidean, m = 1. */
export function hadsellContrastiveLoss(b: GraphBuilder, inputs: PairInputs, options: HadsellContrastiveLossOptions = {}): Value {
  return contrastiveLoss(b, inputs, { distance: options.distance ?? 'euclidean', margin: options.margin ?? 1, eps: options.eps ?? 0, factor: 1 });
}

export interface OnlineContrastiveLossOptions {
  /** Default 'cosine'. */
  distance?: Distance;
  /** Default 0.5. */
  margin?: number;
  /** Default 1e-6 (euclidean and manhattan only). */
  eps?: number;
}

/**
 * sentence-transformers' OnlineContrastiveLoss: hard negatives d < (max d⁺ if |P| > 1 else mean d⁻),
 * hard positives d > (min d⁻ if |N| > 1 else mean d⁺); L = Σ_hard⁺ d² + Σ_hard⁻ relu(m − d)² (a sum).
 */
export function onlineContrastiveLoss(b: GraphBuilder, inputs: PairInputs, options: OnlineContrastiveLossOptions = {}): Value {
  const where = 'OnlineContrastiveLoss';
  const distance = distanceOf(where, options.distance, 'cosine');
  const d = pairwiseDistance(b, inputs.anchor, inputs.other, distance, nonNegative(where, 'eps', options.eps, 1e-6));
  const margin = finite(where, 'margin', options.margin, 0.5);
  const positive = b.op.Equal(inputs.labels, 1);
  const negative = b.op.Equal(inputs.labels, 0);
  const negThreshold = b.op.Where(moreThanOne(b, positive), maskedReduce(b, 'max', d, positive), maskedMean(b, d, negative));
  const posThreshold = b.op.Where(moreThanOne(b, negative), maskedReduce(b, 'min', d, negative), maskedMean(b, d, positive));
  const hardPositive = b.op.And(positive, b.op.Greater(d, posThreshold));
  const hardNegative = b.op.And(negative, b.op.Less(d, negThreshold));
  const push = b.op.Relu(b.op.Sub(margin, d));
  const zero = b.scalar(0);
  const positiveLoss = b.op.ReduceSum(b.op.Where(hardPositive, b.op.Mul(d, d), zero), { keepdims: 0 });
  const negativeLoss = b.op.ReduceSum(b.op.Where(hardNegative, b.op.Mul(push, push), zero), { keepdims: 0 });
  return b.op.Add(positiveLoss, negativeLoss);
}

function count(b: GraphBuilder, mask: Value): Value {
  return b.op.ReduceSum(b.op.Cast(mask, { to: 'float32' }), { keepdims: 0 });
}

function moreThanOne(b: GraphBuilder, mask: Value): Value {
  return b.op.Greater(count(b, mask), 1);
}

/** Max or min of d over the mask (±∞ when empty: then nothing compares against it). */
function maskedReduce(b: GraphBuilder, kind: 'max' | 'min', d: Value, mask: Value): Value {
  const fill = b.scalar(kind === 'max' ? -Infinity : Infinity);
  const masked = b.op.Where(mask, d, fill);
  return kind === 'max' ? b.op.ReduceMax(masked, { keepdims: 0 }) : b.op.ReduceMin(masked, { keepdims: 0 });
}

/** Mean of d over the mask; the count is floored at 1, since an empty mask's mean only thresholds an empty set. */
function maskedMean(b: GraphBuilder, d: Value, mask: Value): Value {
  const sum = b.op.ReduceSum(b.op.Where(mask, d, b.scalar(0)), { keepdims: 0 });
  return b.op.Div(sum, b.op.Max(count(b, mask), 1));
}
