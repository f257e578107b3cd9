// Train-step batches from an in-memory image set: the loss kind decides the sampler (balanced pairs,
// class-balanced triplets, m-per-class batches for in-batch mining, two-per-class for in-batch
// negatives), each image is augmented on the fly when an augmenter is given, and the rows are fed
// under the step's own branch input names. Seeded: the same seed gives the same batches.
import { balancedPairs } from '../data/balanced-pairs.js';
import { mPerClassBatches } from '../data/m-per-class-batches.js';
import type { Augmenter } from '../data/random-affine.js';
import { createSampler, type Sampler } from '../data/sampler.js';
import { triplets } from '../data/triplets.js';
import { fail } from '../errors.js';
import { createTensor, type Tensor } from '../runtime/runtime.js';
import type { TrainStep } from './build-train-step.js';
import type { TrainBatch } from './create-trainer.js';

/** Images as one [n, channels, height, width] buffer, with a class per image and optionally a group per class. */
export interface ImageSet {
  readonly images: Float32Array;
  readonly shape: readonly [channels: number, height: number, width: number];
  readonly labels: ArrayLike<number>;
  /** Group of each class, indexed by class (e.g. Omniglot alphabets). */
  readonly groups?: ArrayLike<number>;
}

export interface ImageBatchesOptions {
  step: Pick<TrainStep, 'roles' | 'branchInputs' | 'labels'>;
  data: ImageSet;
  seed: number;
  /** Pairs or triplets per step (pair and triplet losses). */
  batchSize?: number;
  /** Classes per step (labeled and ranking losses). */
  classesPerBatch?: number;
  /** Examples per class in a step (labeled losses; ranking losses always take 2: anchor and positive). */
  m?: number;
  /** Every step's classes from one group (labeled and ranking losses). */
  withinGroup?: boolean;
  /** Let a class with fewer than m examples repeat them (labeled and ranking losses); with an augmenter, one image per class gives self-supervised pairs. */
  allowReplacement?: boolean;
  augment?: Augmenter;
}

export interface ImageBatches extends Sampler<TrainBatch> {
  /** Classes no batch draws from (too few examples or in a skipped group), for the caller to report. */
  readonly excludedClasses: readonly number[];
}

type Kind = 'pairs' | 'triplets' | 'labeled' | 'ranking';

export function imageBatches(options: ImageBatchesOptions): ImageBatches {
  const { step, data, seed } = options;
  const [channels, height, width] = data.shape;
  const size = channels * height * width;
  if (data.images.length !== data.labels.length * size) {
    fail('train', `image batches: expected ${data.labels.length} images of ${channels}×${height}×${width} = ${data.labels.length * size} values, got ${data.images.length}`);
  }
  const image = (i: number) => {
    const pixels = data.images.subarray(i * size, (i + 1) * size);
    return options.augment ? options.augment(pixels, height, width) : pixels;
  };
  const inputFor = (role: string) => step.branchInputs.find((x) => x.role === role)?.name ?? fail('train', `image batches: the train step has no input for role "${role}"`);
  if (new Set(step.branchInputs.map((x) => x.encoderInput)).size !== 1) {
    fail('train', `image batches: expected an encoder with one (pixels) input, got ${[...new Set(step.branchInputs.map((x) => x.encoderInput))].join(', ')}`);
  }
  /** Rows per role → the feeds. */
  const feeds = (rowsByRole: readonly number[][], labels?: Tensor): TrainBatch => {
    const batch: Record<string, Tensor> = {};
    step.roles.forEach((role, r) => {
      const rows = rowsByRole[r]!;
      const pixels = new Float32Array(rows.length * size);
      rows.forEach((i, k) => pixels.set(image(i), k * size));
      batch[inputFor(role)] = createTensor('float32', pixels, [rows.length, channels, height, width]);
    });
    if (labels && step.labels) batch[step.labels.name] = labels;
    return batch;
  };
  const kind = kindOf(step.roles);
  switch (kind) {
    case 'pairs': {
      const n = positive('batchSize', options.batchSize);
      const pairs = balancedPairs({ labels: data.labels, seed });
      return withExcluded(createSampler(() => {
        const drawn = pairs.take(n);
        return feeds([drawn.map((p) => p.a), drawn.map((p) => p.b)], createTensor('float32', Float32Array.from(drawn, (p) => p.same), [n]));
      }, Infinity), []);
    }
    case 'triplets': {
      const n = positive('batchSize', options.batchSize);
      const draws = triplets({ labels: data.labels, seed });
      return withExcluded(createSampler(() => {
        const drawn = draws.take(n);
        return feeds([drawn.map((t) => t.anchor), drawn.map((t) => t.positive), drawn.map((t) => t.negative)]);
      }, Infinity), []);
    }
    case 'labeled':
    case 'ranking': {
      const m = kind === 'ranking' ? 2 : positive('m', options.m);
      const batches = mPerClassBatches({
        labels: data.labels, m, classesPerBatch: positive('classesPerBatch', options.classesPerBatch), seed, allowReplacement: options.allowReplacement,
        ...(options.withinGroup ? { groups: data.groups, withinGroup: true } : {}),
      });
      const sampler = createSampler(() => {
        const rows = batches.next().value!;
        if (kind === 'ranking') return feeds([rows.filter((_, k) => k % 2 === 0), rows.filter((_, k) => k % 2 === 1)]);
        return feeds([rows], createTensor('int64', BigInt64Array.from(rows, (i) => BigInt(data.labels[i]!)), [rows.length]));
      }, Infinity);
      return withExcluded(sampler, batches.excludedClasses);
    }
  }
}

function kindOf(roles: readonly string[]): Kind {
  const key = roles.join(',');
  if (key === 'anchor,other') return 'pairs';
  if (key === 'anchor,positive,negative') return 'triplets';
  if (key === 'anchor,positive') return 'ranking';
  if (roles.length === 1) return 'labeled';
  return fail('train', `image batches: expected the roles of a pair, triplet, labeled or ranking loss, got [${key}]`);
}

function positive(name: string, value: number | undefined): number {
  if (value === undefined || !Number.isInteger(value) || value < 1) fail('train', `image batches: ${name}: expected an integer ≥ 1 for this loss, got ${String(value)}`);
  return value;
}

function withExcluded(sampler: Sampler<TrainBatch>, excludedClasses: readonly number[]): ImageBatches {
  return Object.assign(sampler, { excludedClasses });
}
