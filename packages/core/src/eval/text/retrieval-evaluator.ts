// Retrieval, as sentence-transformers' InformationRetrievalEvaluator, but searched through
// twinembed's own index: exact (flat) or approximate (hnsw), so the figures also measure what
// HNSW loses. Each query's relevant corpus ids are the gold answer.
import { fail } from '../../errors.js';
import { createIndex } from '../../vector-index/create-index.js';
import type { Metric } from '../../vector-index/vector-index.js';
import { maxCutoff, resolveCutoffs, retrievalMetrics, type RetrievalCutoffs } from './retrieval-metrics.js';
import type { TextEmbedder, TextEvaluateOptions, TextEvaluator, TextMetrics } from './text-evaluator.js';

/** The similarities an index can rank by (manhattan has no index metric). */
export type RetrievalSimilarity = 'cosine' | 'dot' | 'euclidean';
const INDEX_METRIC: Record<RetrievalSimilarity, Metric> = { cosine: 'cosine', dot: 'ip', euclidean: 'l2' };

export interface RetrievalSearchOptions extends RetrievalCutoffs {
  /** Default cosine. Index distances (1 − cos, 1 − a·b, squared L2) rank as the similarities do. */
  similarity?: RetrievalSimilarity;
  /** flat (exact, default) or hnsw. */
  backend?: 'flat' | 'hnsw';
  /** HNSW candidate list while searching; raised to the deepest cutoff when lower. */
  ef?: number;
}

export interface EvaluateRetrievalOptions extends RetrievalSearchOptions {
  /** [queries, dim] and [corpus, dim] row-major. */
  queryEmbeddings: Float32Array;
  corpusEmbeddings: Float32Array;
  dim: number;
  corpusIds: readonly string[];
  /** Per query: its relevant corpus ids (at least one). */
  relevant: readonly ReadonlySet<string>[];
}

function checkSimilarity(similarity: string): RetrievalSimilarity {
  if (!(similarity in INDEX_METRIC)) fail('eval', `similarity: expected cosine, dot or euclidean for retrieval, got "${similarity}"`);
  return similarity as RetrievalSimilarity;
}

/** `<similarity>_accuracy@k`, `_precision@k`, `_recall@k`, `_ndcg@k`, `_mrr@k`, `_map@k`. */
export function evaluateRetrieval(options: EvaluateRetrievalOptions): TextMetrics {
  const { queryEmbeddings, corpusEmbeddings, dim, corpusIds, relevant } = options;
  const similarity = checkSimilarity(options.similarity ?? 'cosine');
  const cutoffs = resolveCutoffs(options);
  if (!Number.isInteger(dim) || dim < 1) fail('eval', `dim: expected a positive integer, got ${dim}`);
  if (corpusEmbeddings.length !== corpusIds.length * dim) fail('eval', `corpusEmbeddings: expected ${corpusIds.length} rows of ${dim} (one per corpus id), got ${corpusEmbeddings.length} values`);
  if (queryEmbeddings.length !== relevant.length * dim) fail('eval', `queryEmbeddings: expected ${relevant.length} rows of ${dim} (one per set of relevant ids), got ${queryEmbeddings.length} values`);
  if (corpusIds.length === 0) fail('eval', 'corpus: expected at least one document, got none');
  const index = createIndex({ backend: options.backend ?? 'flat', dim, metric: INDEX_METRIC[similarity], capacity: corpusIds.length });
  index.add(corpusIds, corpusEmbeddings);
  const k = Math.min(maxCutoff(cutoffs), corpusIds.length);
  const rankings = index.searchBatch(queryEmbeddings, k, options.ef === undefined ? undefined : { ef: options.ef }).map((r) => r.ids as string[]);
  const metrics = retrievalMetrics({ rankings, relevant, ...cutoffs });
  return Object.fromEntries(Object.entries(metrics).map(([key, value]) => [`${similarity}_${key}`, value]));
}

export interface RetrievalEvaluatorOptions extends RetrievalSearchOptions {
  queries: readonly { id: string; text: string }[];
  corpus: readonly { id: string; text: string }[];
  /** Query id → its relevant corpus ids. Queries with none are left out, as sentence-transformers does. */
  relevant: ReadonlyMap<string, ReadonlySet<string>>;
}

function checkUnique(rows: readonly { id: string }[], what: string): void {
  const seen = new Set<string>();
  for (const { id } of rows) {
    if (seen.has(id)) fail('eval', `${what}: expected unique ids, got "${id}" twice`);
    seen.add(id);
  }
}

/** An evaluator over queries, a corpus and relevance judgments; its primary metric is `<similarity>_ndcg@10`. */
export function retrievalEvaluator(options: RetrievalEvaluatorOptions): TextEvaluator {
  const similarity = checkSimilarity(options.similarity ?? 'cosine');
  const cutoffs = resolveCutoffs(options);
  checkUnique(options.queries, 'queries');
  checkUnique(options.corpus, 'corpus');
  const corpusIds = new Set(options.corpus.map((d) => d.id));
  for (const [query, docs] of options.relevant) {
    for (const doc of docs) if (!corpusIds.has(doc)) fail('eval', `relevant: query "${query}" names "${doc}", which is not in the corpus`);
  }
  const queries = options.queries.filter((q) => (options.relevant.get(q.id)?.size ?? 0) > 0);
  if (queries.length === 0) fail('eval', `queries: expected at least one query with a relevant document, got none of ${options.queries.length}`);
  const relevant = queries.map((q) => options.relevant.get(q.id)!);
  const total = queries.length + options.corpus.length;
  return {
    kind: 'retrieval',
    primaryMetric: `${similarity}_ndcg@${cutoffs.ndcgAtK.reduce((m, k) => Math.max(m, k), -Infinity)}`,
    examples: queries.length,
    texts: total,
    async evaluate(embedder: TextEmbedder, evaluateOptions: TextEvaluateOptions = {}) {
      const progress = evaluateOptions.onProgress;
      const corpusEmbeddings = await embedder.embedMatrix(options.corpus.map((d) => d.text), { onProgress: progress && ((done) => progress(done, total)) });
      const queryEmbeddings = await embedder.embedMatrix(queries.map((q) => q.text), { onProgress: progress && ((done) => progress(options.corpus.length + done, total)) });
      return evaluateRetrieval({ ...options, ...cutoffs, similarity, queryEmbeddings, corpusEmbeddings, dim: embedder.dim, corpusIds: options.corpus.map((d) => d.id), relevant });
    },
  };
}
