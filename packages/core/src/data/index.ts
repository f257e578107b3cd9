// Samplers and augmentation for training: batches, pairs and triplets drawn from labels alone, and
// Koch-style affine distortions. All seeded (`seededRandom`) and free of runtime APIs.
export { mPerClassBatches, type MPerClassOptions, type MPerClassBatches } from './m-per-class-batches.js';
export { balancedPairs, type BalancedPairsOptions, type LabeledPair } from './balanced-pairs.js';
export { triplets, type TripletsOptions, type Triplet } from './triplets.js';
export type { Sampler } from './sampler.js';
export { affineAugment, IDENTITY_AFFINE, type AffineParams } from './affine-augment.js';
export { withRotatedClasses, rotateInto, type ClassImages, type RotatedClasses } from './rotated-classes.js';
export { randomAffine, createAugmenter, KOCH_AFFINE_RANGES, type AffineRanges, type AugmenterOptions, type Augmenter } from './random-affine.js';
