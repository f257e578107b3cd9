// Texts → train-step feeds: every text is tokenized once up front, and a batch (row indices) becomes
// `${role}.${encoderInput}` tensors, each role right-padded to its own longest row, plus `labels`.
import { createTensor, fail, seededRandom, shuffleInPlace, textFeeds, type EmbedSpec, type Tensor, type TextTokenizer, type TrainBatch, type TrainStep } from '@twinembed/core';
import type { TrainRows } from './read-train-rows.js';

export interface TextBatchesOptions {
  rows: TrainRows;
  tokenizer: TextTokenizer;
  /** Which encoder input takes ids, mask and token types (EmbedSpec of the model directory). */
  spec: Pick<Extract<EmbedSpec, { modality: 'text' }>, 'ids' | 'mask' | 'tokenTypes'>;
  step: Pick<TrainStep, 'roles' | 'branchInputs' | 'labels'>;
}

export type BatchOf = (indices: readonly number[]) => TrainBatch;

export function createTextBatches(options: TextBatchesOptions): BatchOf {
  const { rows, spec, step } = options;
  if (rows.texts.length !== step.roles.length) fail('train', `text batches: expected ${step.roles.length} text columns (${step.roles.join(', ')}), got ${rows.texts.length}`);
  const tokens = rows.texts.map((texts) => texts.map((t) => options.tokenizer.encode(t)));
  const feedSpec = { ids: spec.ids, mask: spec.mask, tokenTypes: spec.tokenTypes, padId: options.tokenizer.padId ?? 0 }; // the tokenizer's pad token, as the embedder pads
  const known = [spec.ids.name, spec.mask?.name, spec.tokenTypes?.name].filter((n): n is string => n !== undefined);
  for (const input of step.branchInputs) {
    if (!known.includes(input.encoderInput)) {
      fail('train', `text batches: the encoder input "${input.encoderInput}" is not ids, mask or token types (known: ${known.join(', ')}); set "inputs" in twinembed.json`);
    }
  }
  return (indices) => {
    const feeds: Record<string, Tensor> = {};
    step.roles.forEach((role, r) => {
      const roleFeeds = textFeeds(indices.map((i) => tokens[r]![i]!), feedSpec);
      for (const input of step.branchInputs.filter((x) => x.role === role)) feeds[input.name] = roleFeeds[input.encoderInput]!;
    });
    if (step.labels) {
      const values = indices.map((i) => rows.labels![i]!);
      feeds[step.labels.name] = step.labels.type === 'int64'
        ? createTensor('int64', BigInt64Array.from(values, BigInt), [values.length])
        : createTensor('float32', Float32Array.from(values), [values.length]);
    }
    return feeds;
  };
}

export interface BatchOrderOptions {
  count: number;
  batchSize: number;
  /** Exactly one of steps and epochs. */
  steps?: number;
  epochs?: number;
  shuffle: boolean;
  seed: number;
}

/** How many steps the run takes: `steps`, or `epochs` passes over batches of `batchSize` (the last one may be short). */
export function totalSteps(o: Pick<BatchOrderOptions, 'count' | 'batchSize' | 'steps' | 'epochs'>): number {
  return o.steps ?? o.epochs! * Math.ceil(o.count / o.batchSize);
}

/** Row indices per step: epoch after epoch, each a (seeded) shuffle of every row, cut into batches. */
export function* batchOrder(o: BatchOrderOptions): Generator<number[]> {
  const random = seededRandom(o.seed);
  const total = totalSteps(o);
  let made = 0;
  while (made < total) {
    const order = Array.from({ length: o.count }, (_, i) => i);
    if (o.shuffle) shuffleInPlace(order, random);
    for (let start = 0; start < o.count && made < total; start += o.batchSize, made++) yield order.slice(start, start + o.batchSize);
  }
}
