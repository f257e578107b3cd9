// The one-shot classifier's requests and replies between page and worker (the operations are in
// protocol.ts): classifiers are handles over an embedder handle, snapshots plain data with bytes.
import type { EvalMetric, OneShotSnapshot } from '@twinembed/core';
import type { WebEmbedInput } from './protocol.js';

export interface CreateClassifierRequest {
  /** The embedder (from loadEmbedder) that embeds every example and query. */
  embedder: string;
  /** cosine (default) or euclidean, as `eval oneshot --metric`. */
  metric?: EvalMetric;
  /** Where the prototypes live: flat (default, exact) or hnsw (many labels). */
  backend?: 'flat' | 'hnsw';
}

export interface ClassifierInfo {
  classifier: string;
  embedder: string;
  dim: number;
  metric: EvalMetric;
  /** Enrolled labels in enrollment order, with their example counts. */
  labels: { label: string; examples: number }[];
}

export interface EnrollRequest {
  classifier: string;
  label: string;
  /** One example or several: what the embedder takes, or images still to decode (Blob, ImageBitmap). */
  examples: WebEmbedInput | readonly WebEmbedInput[];
}

export interface ClassifyRequest {
  classifier: string;
  /** One result per input, in order. */
  inputs: readonly WebEmbedInput[];
  /** Labels per ranking (default 5). */
  k?: number;
}

export interface LoadClassifierRequest {
  embedder: string;
  /** From classifierSnapshot, or a store's loadClassifierSnapshot. */
  snapshot: OneShotSnapshot;
}
