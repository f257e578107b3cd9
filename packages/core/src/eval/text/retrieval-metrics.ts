// Ranking figures of sentence-transformers' InformationRetrievalEvaluator, from each query's
// ranked hits and its set of relevant ids (binary relevance), averaged over the queries.
import { fail } from '../../errors.js';

export interface RetrievalCutoffs {
  /** Defaults as sentence-transformers: accuracy and precision/recall @1, 3, 5, 10; MRR and NDCG @10; MAP @100. */
  accuracyAtK?: readonly number[];
  precisionRecallAtK?: readonly number[];
  mrrAtK?: readonly number[];
  ndcgAtK?: readonly number[];
  mapAtK?: readonly number[];
}

export interface RetrievalMetricsOptions<Id> extends RetrievalCutoffs {
  /** Per query: the ids found, best first (at least max k of them, or the whole corpus). */
  rankings: readonly (readonly Id[])[];
  /** Per query: the relevant ids (at least one). */
  relevant: readonly ReadonlySet<Id>[];
}

export const DEFAULT_CUTOFFS: Required<RetrievalCutoffs> = {
  accuracyAtK: [1, 3, 5, 10], precisionRecallAtK: [1, 3, 5, 10], mrrAtK: [10], ndcgAtK: [10], mapAtK: [100],
};

export function resolveCutoffs(options: RetrievalCutoffs): Required<RetrievalCutoffs> {
  const out = { ...DEFAULT_CUTOFFS };
  for (const key of Object.keys(DEFAULT_CUTOFFS) as (keyof RetrievalCutoffs)[]) {
    const ks = options[key] ?? DEFAULT_CUTOFFS[key];
    for (const k of ks) if (!Number.isInteger(k) || k < 1) fail('eval', `${key}: expected positive integers, got ${k}`);
    out[key] = ks;
  }
  return out;
}

/** The deepest cut any figure reads: how many hits each query needs. */
export function maxCutoff(cutoffs: Required<RetrievalCutoffs>): number {
  return Object.values(cutoffs).flat().reduce((m, k) => Math.max(m, k), -Infinity);
}

/** DCG@k of binary relevance: Σᵢ relᵢ / log₂(i + 2), i from 0. */
function dcg(hits: readonly boolean[], k: number): number {
  let s = 0;
  for (let i = 0; i < Math.min(k, hits.length); i++) if (hits[i]) s += 1 / Math.log2(i + 2);
  return s;
}

/** One query's figures, keyed as `accuracy@1`, `precision@1`, `recall@1`, `ndcg@10`, `mrr@10`, `map@100`. */
function queryMetrics(hits: readonly boolean[], relevantCount: number, c: Required<RetrievalCutoffs>): Map<string, number> {
  const out = new Map<string, number>();
  const correct = (k: number) => hits.slice(0, k).filter(Boolean).length;
  for (const k of c.accuracyAtK) out.set(`accuracy@${k}`, correct(k) > 0 ? 1 : 0);
  for (const k of c.precisionRecallAtK) out.set(`precision@${k}`, correct(k) / k);
  for (const k of c.precisionRecallAtK) out.set(`recall@${k}`, correct(k) / relevantCount);
  // NDCG@k = DCG@k / IDCG@k, the ideal ranking putting every relevant id first.
  for (const k of c.ndcgAtK) out.set(`ndcg@${k}`, dcg(hits, k) / dcg(new Array<boolean>(relevantCount).fill(true), k));
  for (const k of c.mrrAtK) {
    const rank = hits.slice(0, k).indexOf(true);
    out.set(`mrr@${k}`, rank < 0 ? 0 : 1 / (rank + 1));
  }
  // AP@k = Σ over relevant hits at rank r ≤ k of precision@r, divided by min(k, relevant count).
  for (const k of c.mapAtK) {
    let found = 0;
    let sum = 0;
    hits.slice(0, k).forEach((hit, r) => {
      if (hit) sum += ++found / (r + 1);
    });
    out.set(`map@${k}`, sum / Math.min(k, relevantCount));
  }
  return out;
}

/** The mean of each figure over the queries. */
export function retrievalMetrics<Id>(options: RetrievalMetricsOptions<Id>): Record<string, number> {
  const { rankings, relevant } = options;
  const cutoffs = resolveCutoffs(options);
  if (rankings.length !== relevant.length) fail('eval', `retrieval: expected one set of relevant ids per ranking (${rankings.length}), got ${relevant.length}`);
  if (rankings.length === 0) fail('eval', 'retrieval: expected at least one query, got none');
  const sums = new Map<string, number>();
  rankings.forEach((ranking, q) => {
    const rel = relevant[q]!;
    if (rel.size === 0) fail('eval', `retrieval: query ${q} has no relevant ids, expected at least one`);
    for (const [key, value] of queryMetrics(ranking.map((id) => rel.has(id)), rel.size, cutoffs)) sums.set(key, (sums.get(key) ?? 0) + value);
  });
  return Object.fromEntries([...sums].map(([key, sum]) => [key, sum / rankings.length]));
}
