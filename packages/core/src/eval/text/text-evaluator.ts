// What every text evaluator shares, as sentence-transformers' SentenceEvaluator: it embeds its
// texts with a model and returns figures under sentence-transformers' names, one of which (the
// primary metric) picks the best checkpoint during fine-tuning.
import { fail } from '../../errors.js';
import type { Embedder } from '../../embed/create-embedder.js';

/** Any model that embeds texts into a [count, dim] matrix: an Embedder, or a training model's eval view. */
export type TextEmbedder = Pick<Embedder, 'dim' | 'embedMatrix'>;

export type TextMetrics = Record<string, number>;

export interface TextEvaluateOptions {
  /** Texts embedded so far, of `total` (each distinct text is embedded once). */
  onProgress?: (done: number, total: number) => void;
}

export interface TextEvaluator {
  readonly kind: 'sts' | 'pairs' | 'triplets' | 'retrieval';
  /** The figure to maximize, e.g. `spearman_cosine`; always a key of evaluate()'s result. */
  readonly primaryMetric: string;
  /** Examples scored: pairs, triplets or queries. */
  readonly examples: number;
  /** Distinct texts embedded by each evaluate(). */
  readonly texts: number;
  evaluate(embedder: TextEmbedder, options?: TextEvaluateOptions): Promise<TextMetrics>;
}

/** Texts of several aligned lists: the distinct texts and, per list, each entry's index among them. */
export interface DistinctTexts {
  texts: string[];
  indices: Int32Array[];
}

export function distinctTexts(lists: readonly (readonly string[])[], names: readonly string[]): DistinctTexts {
  const count = lists[0]?.length ?? 0;
  const seen = new Map<string, number>();
  const indices = lists.map((list, l) => {
    if (list.length !== count) fail('eval', `${names[l]}: expected ${count} texts (as ${names[0]}), got ${list.length}`);
    return Int32Array.from(list, (text, i) => {
      if (typeof text !== 'string') fail('eval', `${names[l]}[${i}]: expected a string, got ${typeof text}`);
      let index = seen.get(text);
      if (index === undefined) seen.set(text, (index = seen.size));
      return index;
    });
  });
  return { texts: [...seen.keys()], indices };
}

/** Embeds the distinct texts once and returns one [count, dim] matrix per list. */
export async function embedLists(embedder: TextEmbedder, distinct: DistinctTexts, options: TextEvaluateOptions = {}): Promise<Float32Array[]> {
  const { dim } = embedder;
  const rows = await embedder.embedMatrix(distinct.texts, { onProgress: options.onProgress });
  if (rows.length !== distinct.texts.length * dim) fail('eval', `embeddings: expected ${distinct.texts.length} rows of ${dim}, got ${rows.length} values`);
  return distinct.indices.map((indices) => {
    const out = new Float32Array(indices.length * dim);
    indices.forEach((row, i) => out.set(rows.subarray(row * dim, (row + 1) * dim), i * dim));
    return out;
  });
}

/** `main` when given, else cosine when it is computed, else the first function. */
export function mainOf<T extends string>(functions: readonly T[], main: T | undefined): T {
  if (main !== undefined && !functions.includes(main)) fail('eval', `mainSimilarity: expected one of the computed similarities (${functions.join(', ')}), got "${main}"`);
  return main ?? (functions.includes('cosine' as T) ? ('cosine' as T) : functions[0]!);
}
