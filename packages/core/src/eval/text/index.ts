// Text evaluators as sentence-transformers has them (STS, labelled pairs, triplets, retrieval),
// and the pure metric functions they are built from.
export { SIMILARITY_FUNCTIONS, pairedScores, type SimilarityFunction } from './paired-scores.js';
export { pearson, spearman, averageRanks } from './correlation.js';
export { bestAccuracy, bestF1, averagePrecision, matthewsAtCut, type BestAccuracy, type BestF1 } from './threshold-metrics.js';
export { retrievalMetrics, DEFAULT_CUTOFFS, type RetrievalCutoffs, type RetrievalMetricsOptions } from './retrieval-metrics.js';
export type { TextEmbedder, TextEvaluateOptions, TextEvaluator, TextMetrics } from './text-evaluator.js';
export { evaluateSimilarity, similarityEvaluator, type EvaluateSimilarityOptions, type SimilarityEvaluatorOptions } from './similarity-evaluator.js';
export {
  evaluateBinaryClassification, binaryClassificationEvaluator, type EvaluateBinaryClassificationOptions, type BinaryClassificationEvaluatorOptions,
} from './binary-classification-evaluator.js';
export { evaluateTriplets, tripletEvaluator, type EvaluateTripletsOptions, type TripletEvaluatorOptions } from './triplet-evaluator.js';
export {
  evaluateRetrieval, retrievalEvaluator, type EvaluateRetrievalOptions, type RetrievalEvaluatorOptions, type RetrievalSearchOptions, type RetrievalSimilarity,
} from './retrieval-evaluator.js';
