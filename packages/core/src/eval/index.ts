// Evaluation of embedding models: N-way K-shot episodes, their accuracy, and verification pairs.
export { oneShotEpisodes, episodePool, type Episode, type EpisodePool, type OneShotEpisodesOptions } from './one-shot-episodes.js';
export { scoreEpisodes, scoreEpisodesByPairs, summarizeAccuracies, type EpisodeScores, type PairScorer } from './score-episodes.js';
export { verificationPairs, verificationMetrics, type VerificationMetrics, type VerificationPairs, type VerificationPairsOptions } from './verification.js';
export { pairSimilarities, toEmbeddingMatrix, EVAL_METRICS, type EmbeddingMatrix, type EmbeddingRows, type EvalMetric } from './embedding-matrix.js';
export { pairHeadScorer, type PairHeadOptions } from './pair-head-scorer.js';
export * from './text/index.js';
