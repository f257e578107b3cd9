// Loss parity with sentence-transformers: the fixture BERT (both exports) + mean pooling + each loss
// over the fixture batch must give PyTorch's loss value within 1e-4 relative. Euclidean pair and
// triplet distances use F.pairwise_distance's eps 1e-6 here, because sentence-transformers' do.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  batchAllTripletLoss, batchHardTripletLoss, batchSemiHardTripletLoss, contrastiveLoss, cosineSimilarityLoss, createTensor, decodeModel,
  encodeModel, importModel, multipleNegativesRankingLoss, nodeRuntime, onlineContrastiveLoss, readSafetensors, tripletLoss,
  type GraphBuilder, type Tensor, type Value,
} from '@twinembed/node';
import { hasShared, sharedPath } from './support/paths.js';

const fixture = (f: string) => readFileSync(sharedPath('fixtures', 'bert-tiny-a', f));
const json = (f: string) => JSON.parse(fixture(f).toString('utf8'));

/** sentence-transformers' Pooling(mean): Σ h·mask / max(Σ mask, 1e-9), not normalized. */
function appendMeanPool(b: GraphBuilder): Value {
  const mask = b.op.Unsqueeze(b.op.Cast(b.value('attention_mask'), { to: 'float32' }), { axes: [-1] });
  const summed = b.op.ReduceSum(b.op.Mul(b.value('last_hidden_state'), mask), { axes: [1], keepdims: 0 });
  return b.op.Div(summed, b.op.Max(b.op.ReduceSum(mask, { axes: [1], keepdims: 0 }), 1e-9));
}

type Build = (b: GraphBuilder, rows: (texts: string[]) => Value, labels: Record<string, Value>) => Value;

const LOSSES: Record<string, Build> = {
  ContrastiveLoss: (b, rows, l) => contrastiveLoss(b, { anchor: rows(pairs.a), other: rows(pairs.b), labels: l.pair! }),
  ContrastiveLossEuclidean: (b, rows, l) =>
    contrastiveLoss(b, { anchor: rows(pairs.a), other: rows(pairs.b), labels: l.pair! }, { distance: 'euclidean', margin: 1 }),
  OnlineContrastiveLoss: (b, rows, l) => onlineContrastiveLoss(b, { anchor: rows(pairs.a), other: rows(pairs.b), labels: l.pair! }),
  TripletLoss: (b, rows) => tripletLoss(b, { anchor: rows(triplets.anchor), positive: rows(triplets.positive), negative: rows(triplets.negative) }),
  TripletLossCosine: (b, rows) => tripletLoss(b,
    { anchor: rows(triplets.anchor), positive: rows(triplets.positive), negative: rows(triplets.negative) }, { distance: 'cosine', margin: 0.3 }),
  BatchHardTripletLoss: (b, rows, l) => batchHardTripletLoss(b, { embeddings: rows(labeled.text), labels: l.labeled! }),
  BatchAllTripletLoss: (b, rows, l) => batchAllTripletLoss(b, { embeddings: rows(labeled.text), labels: l.labeled! }),
  BatchSemiHardTripletLoss: (b, rows, l) => batchSemiHardTripletLoss(b, { embeddings: rows(labeled.text), labels: l.labeled! }),
  MultipleNegativesRankingLoss: (b, rows) => multipleNegativesRankingLoss(b, { anchor: rows(triplets.anchor), positive: rows(triplets.positive) }),
  CosineSimilarityLoss: (b, rows, l) => cosineSimilarityLoss(b, { anchor: rows(pairs.a), other: rows(pairs.b), labels: l.score! }),
};

let pairs: { a: string[]; b: string[]; label: number[]; score: number[] };
let triplets: { anchor: string[]; positive: string[]; negative: string[] };
let labeled: { text: string[]; label: number[] };

/** One model per export: the encoder over all 32 sentences once, rows gathered per role, every loss an output. */
function buildLossModel(file: string, sentences: string[]): Uint8Array {
  const b = importModel(decodeModel(fixture(file)));
  const embeddings = appendMeanPool(b);
  const rows = (texts: string[]) => b.op.Gather(embeddings, b.int64s(texts.map((t) => indexOf(sentences, t))), { axis: 0 });
  const labels = {
    pair: b.input('pair_labels', 'float32', [pairs.label.length]),
    score: b.input('pair_scores', 'float32', [pairs.score.length]),
    labeled: b.input('labels', 'int64', [labeled.label.length]),
  };
  for (const [name, build] of Object.entries(LOSSES)) b.output(build(b, rows, labels), name);
  return encodeModel(b.toModel());
}

function indexOf(sentences: string[], text: string): number {
  const i = sentences.indexOf(text);
  if (i < 0) throw new Error(`fixture text not in sentences.json: ${text}`);
  return i;
}

describe.skipIf(!hasShared)('losses on bert-tiny-a = sentence-transformers', () => {
  const expected: Record<string, { loss: number }> = hasShared ? json('losses.json') : {};
  const results: Record<string, Record<string, Tensor>> = {};

  beforeAll(async () => {
    ({ pairs, triplets, labeled } = json('batches.json'));
    const { sentences } = json('sentences.json') as { sentences: string[] };
    const inputs = readSafetensors(fixture('inputs.safetensors'));
    const feeds: Record<string, Tensor> = {
      ...Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((n) => [n, inputs.get(n)!])),
      pair_labels: createTensor('float32', Float32Array.from(pairs.label), [pairs.label.length]),
      pair_scores: createTensor('float32', Float32Array.from(pairs.score), [pairs.score.length]),
      labels: createTensor('int64', BigInt64Array.from(labeled.label, BigInt), [labeled.label.length]),
    };
    for (const file of ['model.dynamo.onnx', 'model.legacy.onnx']) {
      const session = await nodeRuntime().createSession(buildLossModel(file, sentences));
      results[file] = await session.run(feeds, { outputs: Object.keys(LOSSES) });
      await session.release();
    }
  });

  test('every fixture loss has a builder here', () => {
    expect(Object.keys(LOSSES).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.keys(LOSSES).flatMap((loss) => [['model.dynamo.onnx', loss], ['model.legacy.onnx', loss]]))('%s %s', (file, loss) => {
    const actual = (results[file]![loss]!.data as Float32Array)[0]!;
    const reference = expected[loss]!.loss;
    const relative = Math.abs(actual - reference) / Math.abs(reference);
    if (process.env.TWINEMBED_REPORT) console.log(`parity ${file} ${loss} ${actual} ${reference} rel ${relative.toExponential(2)}`);
    expect(relative).toBeLessThan(1e-4);
  });
});
