// The loss graph builders: each `(b, inputs, options) → scalar Value`, formula on each.
export {
  contrastiveLoss, hadsellContrastiveLoss, onlineContrastiveLoss,
  type ContrastiveLossOptions, type HadsellContrastiveLossOptions, type OnlineContrastiveLossOptions,
} from './contrastive-loss.js';
export { tripletLoss, type TripletLossOptions } from './triplet-loss.js';
export { batchHardTripletLoss, batchAllTripletLoss, batchSemiHardTripletLoss, type BatchTripletLossOptions } from './batch-triplet-losses.js';
export { multipleNegativesRankingLoss, type MultipleNegativesRankingLossOptions } from './ranking-loss.js';
export { cosineSimilarityLoss } from './cosine-similarity-loss.js';
export { cosentLoss, pairwiseCosSim, type CoSENTLossOptions } from './cosent-loss.js';
export { angleLoss, pairwiseAngleSim, type AnglELossOptions } from './angle-loss.js';
export { kochBceLoss, type KochBceLossOptions } from './koch-bce-loss.js';
export { pairwiseDistance, cosineSimilarity, normalizeRows, batchDistances, type Distance, type BatchDistance } from './distances.js';
export type { PairInputs, TripletInputs, LabeledInputs, RankingInputs } from './loss-inputs.js';
export { LOSSES, lossEntry, type LossEntry, type LossKind, type LossName, type NamedLossOptions } from './loss-registry.js';
