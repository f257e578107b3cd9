// What each loss family takes: embeddings per role (rows aligned) plus labels, following
// sentence-transformers' dataset columns. Every loss returns one float scalar Value.
import type { Value } from '../graph/value.js';

/** Pairs: `labels` float [B], 1 = similar, 0 = dissimilar (or a float score for CosineSimilarityLoss). */
export interface PairInputs {
  readonly anchor: Value;
  readonly other: Value;
  readonly labels: Value;
}

export interface TripletInputs {
  readonly anchor: Value;
  readonly positive: Value;
  readonly negative: Value;
}

/** One embedding per text with its integer class: `labels` int64 [B]. Triplets are mined in the graph. */
export interface LabeledInputs {
  readonly embeddings: Value;
  readonly labels: Value;
}

/** Anchor i's positive is positive row i; every other row (and every hard-negative row) is a negative. */
export interface RankingInputs {
  readonly anchor: Value;
  readonly positive: Value;
  readonly negatives?: readonly Value[];
}
