import { describe, expect, test } from 'vitest';
import { evaluateRetrieval, retrievalEvaluator } from './retrieval-evaluator.js';
import type { TextEmbedder } from './text-evaluator.js';

// A 2-d corpus and two queries, ranked by cosine by hand:
//   a (1,0), b (0.8,0.6), c (0,1), d (−1,0), e (3,0)
//   q0 (1,0.1): cos a = e = 0.995, b 0.856, c 0.0995, d −0.995 → {a,e}, b, c, d; relevant {b}
//   q1 (−0.1,1): cos c 0.995, b 0.517, d 0.0995, a = e −0.0995 → c, b, d, {a,e}; relevant {d, a}
const corpusIds = ['a', 'b', 'c', 'd', 'e'];
const corpusEmbeddings = Float32Array.of(1, 0, 0.8, 0.6, 0, 1, -1, 0, 3, 0);
const queryEmbeddings = Float32Array.of(1, 0.1, -0.1, 1);
const relevant = [new Set(['b']), new Set(['d', 'a'])];
const cutoffs = { accuracyAtK: [1, 3], precisionRecallAtK: [1, 3], mrrAtK: [10], ndcgAtK: [3], mapAtK: [100] };

describe('evaluateRetrieval', () => {
  test('cosine through the exact and the HNSW index, keyed <similarity>_<figure>@k', () => {
    // q0: b at rank 3 → acc@1 0, acc@3 1, P@3 1/3, R@3 1, MRR 1/3, NDCG@3 (1/log₂4)/1 = 1/2, AP 1/3.
    // q1: d at rank 3, a at rank 4 or 5 (tied with e) → acc@3 1, P@3 1/3, R@3 1/2, MRR 1/3,
    //     NDCG@3 (1/2)/(1 + 1/log₂3), AP@100 = (1/3 + 2/r)/2 with r = 4 or 5: neither tie order is asserted.
    for (const backend of ['flat', 'hnsw'] as const) {
      const got = evaluateRetrieval({ queryEmbeddings, corpusEmbeddings, dim: 2, corpusIds, relevant, backend, ...cutoffs });
      expect(Object.keys(got)).toEqual(['cosine_accuracy@1', 'cosine_accuracy@3', 'cosine_precision@1', 'cosine_precision@3', 'cosine_recall@1', 'cosine_recall@3', 'cosine_ndcg@3', 'cosine_mrr@10', 'cosine_map@100']);
      expect(got['cosine_accuracy@1']).toBe(0);
      expect(got['cosine_accuracy@3']).toBe(1);
      expect(got['cosine_precision@3']).toBeCloseTo(1 / 3, 7);
      expect(got['cosine_recall@3']).toBe(0.75);
      expect(got['cosine_mrr@10']).toBeCloseTo(1 / 3, 7);
      expect(got['cosine_ndcg@3']).toBeCloseTo((1 / 2 + 1 / 2 / (1 + 1 / Math.log2(3))) / 2, 7);
      expect(got['cosine_map@100']).toBeGreaterThanOrEqual((1 / 3 + (1 / 3 + 2 / 5) / 2) / 2 - 1e-7);
      expect(got['cosine_map@100']).toBeLessThanOrEqual((1 / 3 + (1 / 3 + 2 / 4) / 2) / 2 + 1e-7);
    }
  });

  test('dot and euclidean rank by their own index metric', () => {
    // dot: q0 → e 3, a 1, b 0.86, …: relevant b at rank 3. q1 → c 1, b 0.52, d 0.1, a −0.1, e −0.3: d 3rd, a 4th.
    const dot = evaluateRetrieval({ queryEmbeddings, corpusEmbeddings, dim: 2, corpusIds, relevant, similarity: 'dot', ...cutoffs });
    expect(dot['dot_map@100']).toBeCloseTo((1 / 3 + (1 / 3 + 2 / 4) / 2) / 2, 7);
    // euclidean: q0 → a 0.1, b 0.54, c 1.35, …: b 2nd. q1 → c 0.1, b 0.98, d 1.35, a 1.49: d 3rd, a 4th.
    const l2 = evaluateRetrieval({ queryEmbeddings, corpusEmbeddings, dim: 2, corpusIds, relevant, similarity: 'euclidean', ...cutoffs });
    expect(l2['euclidean_mrr@10']).toBeCloseTo((1 / 2 + 1 / 3) / 2, 7);
    expect(l2['euclidean_map@100']).toBeCloseTo((1 / 2 + (1 / 3 + 2 / 4) / 2) / 2, 7);
    expect(() => evaluateRetrieval({ queryEmbeddings, corpusEmbeddings, dim: 2, corpusIds, relevant, similarity: 'manhattan' as 'dot' })).toThrow('[twinembed:eval] similarity: expected cosine, dot or euclidean for retrieval, got "manhattan"');
  });
});

describe('retrievalEvaluator', () => {
  const rows: Record<string, number[]> = { a: [1, 0], b: [0.8, 0.6], c: [0, 1], d: [-1, 0], e: [3, 0], q0: [1, 0.1], q1: [-0.1, 1], q2: [1, 1] };
  const embedder: TextEmbedder = {
    dim: 2,
    embedMatrix: async (inputs, options) => {
      options?.onProgress?.(inputs.length, inputs.length);
      return Float32Array.from((inputs as string[]).flatMap((t) => rows[t]!));
    },
  };
  const corpus = corpusIds.map((id) => ({ id, text: id }));
  const queries = ['q0', 'q1', 'q2'].map((id) => ({ id, text: id }));

  test('leaves out queries without relevant documents and embeds queries and corpus', async () => {
    const relevantById = new Map([['q0', new Set(['b'])], ['q1', new Set(['d', 'a'])], ['q2', new Set<string>()]]);
    const evaluator = retrievalEvaluator({ queries, corpus, relevant: relevantById, similarity: 'dot', ...cutoffs });
    expect([evaluator.kind, evaluator.primaryMetric, evaluator.examples, evaluator.texts]).toEqual(['retrieval', 'dot_ndcg@3', 2, 7]);
    const progress: number[] = [];
    const got = await evaluator.evaluate(embedder, { onProgress: (done, total) => progress.push(done, total) });
    expect(progress).toEqual([5, 7, 7, 7]); // the corpus (5 texts), then the 2 queries, of 7
    expect(got).toEqual(evaluateRetrieval({ queryEmbeddings, corpusEmbeddings, dim: 2, corpusIds, relevant, similarity: 'dot', ...cutoffs }));
  });

  test('unknown relevant ids and duplicate ids fail', () => {
    expect(() => retrievalEvaluator({ queries, corpus, relevant: new Map([['q0', new Set(['z'])]]) })).toThrow('[twinembed:eval] relevant: query "q0" names "z", which is not in the corpus');
    expect(() => retrievalEvaluator({ queries, corpus: [...corpus, corpus[0]!], relevant: new Map() })).toThrow('corpus: expected unique ids, got "a" twice');
    expect(() => retrievalEvaluator({ queries, corpus, relevant: new Map() })).toThrow('queries: expected at least one query with a relevant document, got none of 3');
  });
});
