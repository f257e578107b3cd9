// The fixture batches of a BERT fixture as train-step feeds: each sentence-transformers loss of
// losses.json with its registry name, settings, and per-role rows of the tokenized sentences.
import { readFileSync } from 'node:fs';
import { createTensor, readSafetensors, takeRows, type NamedLossOptions, type Tensor, type TrainBatch } from '@twinembed/node';
import { sharedPath } from './paths.js';

export const fixtureFile = (dir: string, f: string) => readFileSync(sharedPath('fixtures', dir, f));

interface Batches {
  pairs: { a: string[]; b: string[]; label: number[]; score: number[] };
  triplets: { anchor: string[]; positive: string[]; negative: string[] };
  labeled: { text: string[]; label: number[] };
}

export interface FixtureLoss { loss: string; options: NamedLossOptions; batch: TrainBatch }

const ENCODER_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];

export function fixtureLosses(dir: string): Record<string, FixtureLoss> {
  const { sentences } = JSON.parse(fixtureFile(dir, 'sentences.json').toString()) as { sentences: string[] };
  const { pairs, triplets, labeled } = JSON.parse(fixtureFile(dir, 'batches.json').toString()) as Batches;
  const inputs = readSafetensors(fixtureFile(dir, 'inputs.safetensors'));
  const role = (name: string, texts: string[]): Record<string, Tensor> => {
    const rows = texts.map((t) => sentences.indexOf(t));
    if (rows.includes(-1)) throw new Error(`a ${name} text is not in sentences.json`);
    return Object.fromEntries(ENCODER_INPUTS.map((x) => [`${name}.${x}`, takeRows(inputs.get(x)!, rows)]));
  };
  const floats = (v: number[]) => createTensor('float32', Float32Array.from(v), [v.length]);
  const pairBatch = (labels: number[]) => ({ ...role('anchor', pairs.a), ...role('other', pairs.b), labels: floats(labels) });
  const tripletBatch = { ...role('anchor', triplets.anchor), ...role('positive', triplets.positive), ...role('negative', triplets.negative) };
  const labeledBatch = { ...role('text', labeled.text), labels: createTensor('int64', BigInt64Array.from(labeled.label, BigInt), [labeled.label.length]) };
  return {
    ContrastiveLoss: { loss: 'ContrastiveLoss', options: {}, batch: pairBatch(pairs.label) },
    ContrastiveLossEuclidean: { loss: 'ContrastiveLoss', options: { distance: 'euclidean', margin: 1 }, batch: pairBatch(pairs.label) },
    OnlineContrastiveLoss: { loss: 'OnlineContrastiveLoss', options: {}, batch: pairBatch(pairs.label) },
    TripletLoss: { loss: 'TripletLoss', options: {}, batch: tripletBatch },
    TripletLossCosine: { loss: 'TripletLoss', options: { distance: 'cosine', margin: 0.3 }, batch: tripletBatch },
    BatchHardTripletLoss: { loss: 'BatchHardTripletLoss', options: {}, batch: labeledBatch },
    BatchAllTripletLoss: { loss: 'BatchAllTripletLoss', options: {}, batch: labeledBatch },
    BatchSemiHardTripletLoss: { loss: 'BatchSemiHardTripletLoss', options: {}, batch: labeledBatch },
    MultipleNegativesRankingLoss: { loss: 'MultipleNegativesRankingLoss', options: {}, batch: { ...role('anchor', triplets.anchor), ...role('positive', triplets.positive) } },
    CosineSimilarityLoss: { loss: 'CosineSimilarityLoss', options: {}, batch: pairBatch(pairs.score) },
  };
}

/** The 32 tokenized sentences, as the exported encoder's feeds. */
export function allSentences(dir: string): Record<string, Tensor> {
  const inputs = readSafetensors(fixtureFile(dir, 'inputs.safetensors'));
  return Object.fromEntries(ENCODER_INPUTS.map((x) => [x, inputs.get(x)!]));
}
