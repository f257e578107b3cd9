// sentence-transformers' CosineSimilarityLoss: regress cos(a, b) onto a float score.
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { cosineSimilarity } from './distances.js';
import type { PairInputs } from './loss-inputs.js';

/** L = mean (cos(a, b) − score)² (MSELoss; `labels` holds the scores). */
export function cosineSimilarityLoss(b: GraphBuilder, inputs: PairInputs): Value {
  const error = b.op.Sub(cosineSimilarity(b, inputs.anchor, inputs.other), inputs.labels);
  return b.op.ReduceMean(b.op.Mul(error, error), { keepdims: 0 });
}
