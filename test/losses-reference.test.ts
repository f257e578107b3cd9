// Loss graphs against float64 JS transcriptions of sentence-transformers' code, on random
// embeddings chosen to reach the branches the fixture batch does not: manhattan distances, sums,
// OnlineContrastiveLoss's one-positive/one-negative thresholds, semi-hard's fallback to the
// farthest negative (transcribed with the reference's tile/reshape indexing), hard negatives.
import { describe, expect, test } from 'vitest';
import {
  batchAllTripletLoss, batchHardTripletLoss, batchSemiHardTripletLoss, contrastiveLoss, cosineSimilarityLoss, createTensor, encodeModel,
  GraphBuilder, kochBceLoss, multipleNegativesRankingLoss, nodeRuntime, onlineContrastiveLoss, tripletLoss, type Tensor, type Value,
} from '@twinembed/node';
import { seededRandom } from './support/random.js';

type Rows = number[][];
const B = 10;
const D = 6;
const random = seededRandom(3);
const rows = (n: number, scale = 1): Rows => Array.from({ length: n }, () => Array.from({ length: D }, () => Math.fround(scale * (2 * random() - 1))));
const [A, P, N, H] = [rows(B), rows(B), rows(B), rows(B)];
const FAR = A.map((r, i) => (i === 4 ? r.map((x) => Math.fround(x * 12)) : r)); // a positive far beyond every negative: semi-hard falls back
const CLASSES = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
const PAIR_LABELS = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
const ONE_POSITIVE = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
const ONE_NEGATIVE = [1, 1, 1, 1, 0, 1, 1, 1, 1, 1];

const sum = (x: number[]) => x.reduce((s, v) => s + v, 0);
const mean = (x: number[]) => sum(x) / x.length;
const norm = (x: number[], p: number) => (p === 1 ? sum(x.map(Math.abs)) : Math.sqrt(sum(x.map((v) => v * v))));
const relu = (x: number) => Math.max(x, 0);
const unit = (x: number[], eps: number) => x.map((v) => v / Math.max(norm(x, 2), eps));
const cos = (x: number[], y: number[]) => sum(unit(x, 1e-8).map((v, i) => v * unit(y, 1e-8)[i]!));
/** F.pairwise_distance(x, y, p, eps) = ‖x − y + eps‖ₚ; cosine distance 1 − cos. */
function dist(kind: string, x: number[], y: number[], eps = 1e-6): number {
  return kind === 'cosine' ? 1 - cos(x, y) : norm(x.map((v, i) => v - y[i]! + eps), kind === 'manhattan' ? 1 : 2);
}

function onlineContrastive(a: Rows, b: Rows, labels: number[], margin: number, kind: string): number {
  const d = a.map((x, i) => dist(kind, x, b[i]!));
  const negs = d.filter((_, i) => labels[i] === 0);
  const poss = d.filter((_, i) => labels[i] === 1);
  const negativePairs = negs.filter((v) => v < (poss.length > 1 ? Math.max(...poss) : mean(negs)));
  const positivePairs = poss.filter((v) => v > (negs.length > 1 ? Math.min(...negs) : mean(poss)));
  return sum(positivePairs.map((v) => v * v)) + sum(negativePairs.map((v) => relu(margin - v) ** 2));
}

/** BatchHardTripletLossDistanceFunction.eucledian_distance. */
function gramDistances(e: Rows): Rows {
  const dot = e.map((x) => e.map((y) => sum(x.map((v, k) => v * y[k]!))));
  return dot.map((row, i) => row.map((v, j) => {
    const squared = Math.max(dot[i]![i]! - 2 * v + dot[j]![j]!, 0);
    return squared === 0 ? 0 : Math.sqrt(squared);
  }));
}

function batchHard(e: Rows, y: number[], m: number): number {
  const d = gramDistances(e);
  return mean(d.map((row, i) => {
    const hardestPositive = Math.max(...row.map((v, j) => (y[j] === y[i] && j !== i ? v : 0)));
    const rowMax = Math.max(...row);
    const hardestNegative = Math.min(...row.map((v, k) => v + (y[k] === y[i] ? rowMax : 0)));
    return relu(hardestPositive - hardestNegative + m);
  }));
}

function batchAll(e: Rows, y: number[], m: number): number {
  const d = gramDistances(e);
  const losses: number[] = [];
  for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) for (let k = 0; k < B; k++) {
    const valid = i !== j && i !== k && j !== k && y[i] === y[j] && y[i] !== y[k];
    losses.push(relu((valid ? 1 : 0) * (d[i]![j]! - d[i]![k]! + m)));
  }
  return sum(losses) / (losses.filter((v) => v > 1e-16).length + 1e-16);
}

/** batch_semi_hard_triplet_loss as written: row r of the tiled matrices is pdist[r % B], compared with pdist.t() flattened. */
function semiHard(e: Rows, y: number[], m: number): { loss: number; fellBack: boolean } {
  const d = gramDistances(e);
  const adjacencyNot = (i: number, k: number) => y[i] !== y[k];
  const maskFinal: boolean[][] = Array.from({ length: B }, () => []);
  const outside: number[][] = Array.from({ length: B }, () => []);
  for (let r = 0; r < B * B; r++) {
    const tile = d[r % B]!;
    const threshold = d[r % B]![Math.floor(r / B)]!; // reshape(pdist.t(), [-1, 1])[r]
    const mask = tile.map((v, k) => adjacencyNot(r % B, k) && v > threshold);
    const rowMax = Math.max(...tile);
    const [a, i] = [Math.floor(r / B), r % B]; // reshape to [B, B] then .t(): entry [i][a]
    maskFinal[i]![a] = mask.some(Boolean);
    outside[i]![a] = Math.min(...tile.map((v, k) => (v - rowMax) * (mask[k] ? 1 : 0))) + rowMax;
  }
  let total = 0;
  let positives = 0;
  let fellBack = false;
  for (let i = 0; i < B; i++) {
    const rowMin = Math.min(...d[i]!);
    const inside = Math.max(...d[i]!.map((v, k) => (v - rowMin) * (adjacencyNot(i, k) ? 1 : 0))) + rowMin;
    for (let j = 0; j < B; j++) {
      const positive = (y[i] === y[j] ? 1 : 0) - (i === j ? 1 : 0);
      positives += positive;
      if (positive && !maskFinal[i]![j]) fellBack = true;
      total += Math.max((d[i]![j]! - (maskFinal[i]![j] ? outside[i]![j]! : inside) + m) * positive, 0);
    }
  }
  return { loss: total / positives, fellBack };
}

function mnrl(a: Rows, candidates: Rows, scale: number): number {
  return mean(a.map((x, i) => {
    const s = candidates.map((c) => scale * sum(unit(x, 1e-12).map((v, k) => v * unit(c, 1e-12)[k]!)));
    const top = Math.max(...s);
    return -(s[i]! - top - Math.log(sum(s.map((v) => Math.exp(v - top)))));
  }));
}

interface Case { name: string; build: (b: GraphBuilder, v: Record<string, Value>) => Value; reference: number }
const pairs = (labels = 'pair') => (v: Record<string, Value>) => ({ anchor: v.a!, other: v.p!, labels: v[labels]! });
const HEAD = { weight: Float32Array.from(rows(1)[0]!), bias: Float32Array.of(0.1) };
const semi = semiHard(FAR, CLASSES, 5);

const CASES: Case[] = [
  { name: 'ContrastiveLoss manhattan, margin 3, summed', build: (b, v) => contrastiveLoss(b, pairs()(v), { distance: 'manhattan', margin: 3, sizeAverage: false }),
    reference: sum(A.map((x, i) => 0.5 * (PAIR_LABELS[i]! * dist('manhattan', x, P[i]!) ** 2 + (1 - PAIR_LABELS[i]!) * relu(3 - dist('manhattan', x, P[i]!)) ** 2))) },
  { name: 'OnlineContrastiveLoss, many of each', build: (b, v) => onlineContrastiveLoss(b, pairs()(v)), reference: onlineContrastive(A, P, PAIR_LABELS, 0.5, 'cosine') },
  { name: 'OnlineContrastiveLoss, one positive', build: (b, v) => onlineContrastiveLoss(b, pairs('onePositive')(v), { margin: 1.2 }), reference: onlineContrastive(A, P, ONE_POSITIVE, 1.2, 'cosine') },
  { name: 'OnlineContrastiveLoss euclidean, one negative', build: (b, v) => onlineContrastiveLoss(b, pairs('oneNegative')(v), { distance: 'euclidean', margin: 3 }), reference: onlineContrastive(A, P, ONE_NEGATIVE, 3, 'euclidean') },
  { name: 'TripletLoss manhattan, margin 2', build: (b, v) => tripletLoss(b, { anchor: v.a!, positive: v.p!, negative: v.n! }, { distance: 'manhattan', margin: 2 }),
    reference: mean(A.map((x, i) => relu(dist('manhattan', x, P[i]!) - dist('manhattan', x, N[i]!) + 2))) },
  { name: 'BatchHardTripletLoss, a singleton class', build: (b, v) => batchHardTripletLoss(b, { embeddings: v.far!, labels: v.classes! }), reference: batchHard(FAR, CLASSES, 5) },
  { name: 'BatchAllTripletLoss margin 1', build: (b, v) => batchAllTripletLoss(b, { embeddings: v.a!, labels: v.classes! }, { margin: 1 }), reference: batchAll(A, CLASSES, 1) },
  { name: 'BatchSemiHardTripletLoss with fallback', build: (b, v) => batchSemiHardTripletLoss(b, { embeddings: v.far!, labels: v.classes! }), reference: semi.loss },
  { name: 'BatchSemiHardTripletLoss margin 0.5', build: (b, v) => batchSemiHardTripletLoss(b, { embeddings: v.a!, labels: v.classes! }, { margin: 0.5 }), reference: semiHard(A, CLASSES, 0.5).loss },
  { name: 'MultipleNegativesRankingLoss + 2 hard negatives', build: (b, v) => multipleNegativesRankingLoss(b, { anchor: v.a!, positive: v.p!, negatives: [v.n!, v.h!] }), reference: mnrl(A, [...P, ...N, ...H], 20) },
  { name: 'MultipleNegativesRankingLoss scale 5', build: (b, v) => multipleNegativesRankingLoss(b, { anchor: v.a!, positive: v.p! }, { scale: 5 }), reference: mnrl(A, P, 5) },
  { name: 'CosineSimilarityLoss', build: (b, v) => cosineSimilarityLoss(b, pairs('scores')(v)), reference: mean(A.map((x, i) => (cos(x, P[i]!) - PAIR_LABELS[i]! * 0.7) ** 2)) },
  { name: 'KochBCE, given head', build: (b, v) => kochBceLoss(b, pairs()(v), { dim: D, head: HEAD }), reference: mean(A.map((x, i) => {
    const z = sum(x.map((u, k) => Math.abs(u - P[i]![k]!) * HEAD.weight[k]!)) + HEAD.bias[0]!;
    return -(PAIR_LABELS[i]! * Math.log(1 / (1 + Math.exp(-z))) + (1 - PAIR_LABELS[i]!) * Math.log(1 - 1 / (1 + Math.exp(-z))));
  })) },
];

const FEEDS: Record<string, Tensor> = {
  ...Object.fromEntries(Object.entries({ a: A, p: P, n: N, h: H, far: FAR }).map(([k, r]) => [k, createTensor('float32', Float32Array.from(r.flat()), [B, D])])),
  pair: createTensor('float32', Float32Array.from(PAIR_LABELS), [B]),
  onePositive: createTensor('float32', Float32Array.from(ONE_POSITIVE), [B]),
  oneNegative: createTensor('float32', Float32Array.from(ONE_NEGATIVE), [B]),
  scores: createTensor('float32', Float32Array.from(PAIR_LABELS, (l) => l * 0.7), [B]),
  classes: createTensor('int64', BigInt64Array.from(CLASSES, BigInt), [B]),
};

describe('loss graphs = sentence-transformers code (float64 transcription)', () => {
  test('the semi-hard case reaches the fallback to the farthest negative', () => {
    expect(semi.fellBack).toBe(true);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const b = new GraphBuilder({ name: 'loss' });
    const inputs = Object.fromEntries(Object.entries(FEEDS).map(([k, t]) => [k, b.input(k, t.type, t.dims)]));
    b.output(c.build(b, inputs), 'loss');
    const session = await nodeRuntime().createSession(encodeModel(b.toModel()));
    const { loss } = await session.run(FEEDS, { outputs: ['loss'] });
    await session.release();
    expect(Math.abs((loss!.data as Float32Array)[0]! - c.reference)).toBeLessThan(2e-5 * Math.max(1, Math.abs(c.reference)));
  });
});
