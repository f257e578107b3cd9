// sentence-transformers' TripletLoss in the FaceNet form (the seed text had the two distances swapped).
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { pairwiseDistance, type Distance } from './distances.js';
import type { TripletInputs } from './loss-inputs.js';
import { distanceOf, finite, nonNegative } from './loss-options.js';

export interface TripletLossOptions {
  /** Default 'euclidean' (TripletDistanceMetric.EUCLIDEAN). */
  distance?: Distance;
  /** Default 5. */
  margin?: number;
  /** Added inside euclidean and manhattan norms, as F.pairwise_distance (default 1e-6; 0 for eps=0 references). */
  eps?: number;
}

/** L = mean max(d(a, p) − d(a, n) + m, 0). */
export function tripletLoss(b: GraphBuilder, inputs: TripletInputs, options: TripletLossOptions = {}): Value {
  const where = 'TripletLoss';
  const distance = distanceOf(where, options.distance, 'euclidean');
  const margin = finite(where, 'margin', options.margin, 5);
  const eps = nonNegative(where, 'eps', options.eps, 1e-6);
  const positive = pairwiseDistance(b, inputs.anchor, inputs.positive, distance, eps);
  const negative = pairwiseDistance(b, inputs.anchor, inputs.negative, distance, eps);
  return b.op.ReduceMean(b.op.Relu(b.op.Add(b.op.Sub(positive, negative), margin)), { keepdims: 0 });
}
