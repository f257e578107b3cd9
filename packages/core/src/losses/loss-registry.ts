// Losses by sentence-transformers class name, with the dataset columns each reads, so the train
// step and the CLI pick a loss by name and feed it the right branches; defaults stay each loss's own.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { angleLoss } from './angle-loss.js';
import { batchAllTripletLoss, batchHardTripletLoss, batchSemiHardTripletLoss } from './batch-triplet-losses.js';
import { contrastiveLoss, hadsellContrastiveLoss, onlineContrastiveLoss } from './contrastive-loss.js';
import { cosentLoss } from './cosent-loss.js';
import { cosineSimilarityLoss } from './cosine-similarity-loss.js';
import type { BatchDistance, Distance } from './distances.js';
import { kochBceLoss } from './koch-bce-loss.js';
import type { LabeledInputs, PairInputs, RankingInputs, TripletInputs } from './loss-inputs.js';
import { multipleNegativesRankingLoss } from './ranking-loss.js';
import { tripletLoss } from './triplet-loss.js';

/** Options a caller (the CLI) may set by name; each loss reads those it has and keeps its defaults otherwise. */
export interface NamedLossOptions {
  distance?: Distance;
  margin?: number;
  scale?: number;
  /** Embedding size (KochBCE's head). */
  dim?: number;
}

interface Kinds {
  pairs: PairInputs;
  triplets: TripletInputs;
  labeled: LabeledInputs;
  ranking: RankingInputs;
}

export type LossKind = keyof Kinds;

export interface LossEntry<K extends LossKind = LossKind> {
  readonly kind: K;
  /** JSONL columns, as sentence-transformers names them; a trailing '?' marks an optional one. */
  readonly columns: readonly string[];
  build(b: GraphBuilder, inputs: Kinds[K], options: NamedLossOptions): Value;
}

const entry = <K extends LossKind>(e: LossEntry<K>): LossEntry<K> => e;
const PAIR = ['sentence1', 'sentence2', 'label'];
const batchDistance = (d: Distance | undefined) => d as BatchDistance | undefined;

export const LOSSES = {
  ContrastiveLoss: entry({
    kind: 'pairs', columns: PAIR,
    build: (b, x, o) => contrastiveLoss(b, x, { distance: o.distance, margin: o.margin }),
  }),
  OnlineContrastiveLoss: entry({
    kind: 'pairs', columns: PAIR,
    build: (b, x, o) => onlineContrastiveLoss(b, x, { distance: o.distance, margin: o.margin }),
  }),
  HadsellContrastiveLoss: entry({
    kind: 'pairs', columns: PAIR,
    build: (b, x, o) => hadsellContrastiveLoss(b, x, { distance: o.distance, margin: o.margin }),
  }),
  KochBCE: entry({
    kind: 'pairs', columns: PAIR,
    build: (b, x, o) => kochBceLoss(b, x, { dim: o.dim ?? Number.NaN }),
  }),
  CosineSimilarityLoss: entry({
    kind: 'pairs', columns: ['sentence1', 'sentence2', 'score'],
    build: (b, x) => cosineSimilarityLoss(b, x),
  }),
  CoSENTLoss: entry({
    kind: 'pairs', columns: ['sentence1', 'sentence2', 'score'],
    build: (b, x, o) => cosentLoss(b, x, { scale: o.scale }),
  }),
  AnglELoss: entry({
    kind: 'pairs', columns: ['sentence1', 'sentence2', 'score'],
    build: (b, x, o) => angleLoss(b, x, { scale: o.scale }),
  }),
  TripletLoss: entry({
    kind: 'triplets', columns: ['anchor', 'positive', 'negative'],
    build: (b, x, o) => tripletLoss(b, x, { distance: o.distance, margin: o.margin }),
  }),
  BatchHardTripletLoss: entry({
    kind: 'labeled', columns: ['text', 'label'],
    build: (b, x, o) => batchHardTripletLoss(b, x, { distance: batchDistance(o.distance), margin: o.margin }),
  }),
  BatchSemiHardTripletLoss: entry({
    kind: 'labeled', columns: ['text', 'label'],
    build: (b, x, o) => batchSemiHardTripletLoss(b, x, { distance: batchDistance(o.distance), margin: o.margin }),
  }),
  BatchAllTripletLoss: entry({
    kind: 'labeled', columns: ['text', 'label'],
    build: (b, x, o) => batchAllTripletLoss(b, x, { distance: batchDistance(o.distance), margin: o.margin }),
  }),
  MultipleNegativesRankingLoss: entry({
    kind: 'ranking', columns: ['anchor', 'positive', 'negative?'],
    build: (b, x, o) => multipleNegativesRankingLoss(b, x, { scale: o.scale }),
  }),
} as const;

export type LossName = keyof typeof LOSSES;

/** The loss of that class name, or an error listing the known ones. */
export function lossEntry(name: string): LossEntry {
  if (!Object.hasOwn(LOSSES, name)) fail('losses', `unknown loss "${name}": expected one of ${Object.keys(LOSSES).join(', ')}`);
  return LOSSES[name as LossName] as unknown as LossEntry;
}
