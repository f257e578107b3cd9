// imageBatches(): each loss kind gets its sampler's guarantee, under the train step's own input
// names, with the right images in the right rows (images here encode their own index).
import { describe, expect, test } from 'vitest';
import { buildTrainStep } from './build-train-step.js';
import { imageBatches, type ImageSet } from './image-batches.js';
import { createAdamW } from '../optimizers/adam.js';
import { conv4Encoder } from '../encoders/conv4-encoder.js';
import { encodeModel } from '../onnx/proto.js';

const SIDE = 16;
const encoder = encodeModel(conv4Encoder({ channels: 4, size: SIDE }).toModel());
const stepFor = (loss: string) => buildTrainStep({ encoder, output: 'embedding', pooling: 'none', loss, lossOptions: { dim: 4 }, optimizer: createAdamW() });

/** 6 classes × 5 images, in 2 groups of 3 classes; every pixel of image i is i. */
function imageSet(): ImageSet {
  const n = 30;
  const images = new Float32Array(n * SIDE * SIDE);
  for (let i = 0; i < n; i++) images.fill(i, i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
  return { images, shape: [1, SIDE, SIDE], labels: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 5)), groups: Int32Array.of(0, 0, 0, 1, 1, 1) };
}

/** The image index each row of a [rows, 1, h, w] feed holds. */
const rowsOf = (t: { data: unknown; dims: readonly number[] }) => Array.from({ length: t.dims[0]! }, (_, r) => (t.data as Float32Array)[r * SIDE * SIDE]!);
const label = (i: number) => Math.floor(i / 5);

describe('imageBatches', () => {
  test('pair losses: balanced pairs, labels 1 exactly when the two rows share a class', () => {
    const step = stepFor('ContrastiveLoss');
    const [batch] = imageBatches({ step, data: imageSet(), seed: 1, batchSize: 8 }).take(1);
    expect(Object.keys(batch!).sort()).toEqual(['anchor.pixels', 'labels', 'other.pixels']);
    const [a, b] = [rowsOf(batch!['anchor.pixels']!), rowsOf(batch!['other.pixels']!)];
    expect(Array.from(batch!.labels!.data as Float32Array)).toEqual(a.map((x, k) => (label(x) === label(b[k]!) ? 1 : 0)));
    expect(batch!['anchor.pixels']!.dims).toEqual([8, 1, SIDE, SIDE]);
  });

  test('triplet losses: positive shares the anchor\'s class, negative does not', () => {
    const [batch] = imageBatches({ step: stepFor('TripletLoss'), data: imageSet(), seed: 2, batchSize: 6 }).take(1);
    const [a, p, n] = ['anchor', 'positive', 'negative'].map((r) => rowsOf(batch![`${r}.pixels`]!));
    a!.forEach((x, k) => {
      expect(label(p![k]!)).toBe(label(x));
      expect(p![k]).not.toBe(x);
      expect(label(n![k]!)).not.toBe(label(x));
    });
  });

  test('batch-mining losses: m of each of P classes, int64 labels matching the rows; within one group when asked', () => {
    const batches = imageBatches({ step: stepFor('BatchAllTripletLoss'), data: imageSet(), seed: 3, classesPerBatch: 3, m: 2, withinGroup: true });
    for (const batch of batches.take(10)) {
      const rows = rowsOf(batch['text.pixels']!);
      expect(Array.from(batch.labels!.data as BigInt64Array, Number)).toEqual(rows.map(label));
      const classes = [...new Set(rows.map(label))];
      expect(classes).toHaveLength(3);
      for (const c of classes) expect(rows.filter((x) => label(x) === c)).toHaveLength(2);
      expect(new Set(classes.map((c) => (c < 3 ? 0 : 1))).size).toBe(1);
    }
  });

  test('ranking losses: anchor k and positive k share a class, and the P classes differ', () => {
    const [batch] = imageBatches({ step: stepFor('MultipleNegativesRankingLoss'), data: imageSet(), seed: 4, classesPerBatch: 4 }).take(1);
    const [a, p] = [rowsOf(batch!['anchor.pixels']!), rowsOf(batch!['positive.pixels']!)];
    expect(a.map(label)).toEqual(p.map(label));
    expect(new Set(a.map(label)).size).toBe(4);
    expect(a.every((x, k) => x !== p[k])).toBe(true);
  });

  test('seeded; the augmenter is applied to every row', () => {
    const data = imageSet();
    const step = stepFor('TripletLoss');
    const take = (seed: number) => imageBatches({ step, data, seed, batchSize: 4 }).take(2).map((b) => rowsOf(b['anchor.pixels']!));
    expect(take(5)).toEqual(take(5));
    expect(take(5)).not.toEqual(take(6));
    const [batch] = imageBatches({ step, data, seed: 5, batchSize: 4, augment: (img) => img.map((v) => -1 - v) }).take(1);
    expect(rowsOf(batch!['anchor.pixels']!).every((v) => v <= -1)).toBe(true);
  });

  test('bad input: a missing size option and a mismatched image buffer', () => {
    expect(() => imageBatches({ step: stepFor('TripletLoss'), data: imageSet(), seed: 1 })).toThrow(/batchSize: expected an integer ≥ 1 for this loss, got undefined/);
    expect(() => imageBatches({ step: stepFor('TripletLoss'), data: { ...imageSet(), images: new Float32Array(10) }, seed: 1, batchSize: 2 })).toThrow(/expected 30 images of 1×16×16 = 7680 values, got 10/);
  });
});
