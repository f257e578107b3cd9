// Random affine parameters as Koch, Zemel & Salakhutdinov (2015, "Siamese Neural Networks for One-shot Image
// Recognition", Omniglot verification training) drew them, from memory of the paper: T = (θ, ρx, ρy, sx, sy, tx, ty)
// with θ ∈ [−10, 10] (degrees), ρx, ρy ∈ [−0.3, 0.3], sx, sy ∈ [0.8, 1.2], tx, ty ∈ [−2, 2] (pixels), uniform,
// "each of these components of the transformation is included with probability .5". The paper gives no unit
// for ρ; we read it as a shear angle in radians (as Keras' shear_range), i.e. a shear factor tan 0.3 ≈ 0.31.
import { fail } from '../errors.js';
import { seededRandom } from '../random.js';
import { affineAugment, type AffineParams } from './affine-augment.js';
import type { Rng } from './random-draw.js';
import { AREA, checkFinite, checkFraction, checkSeed } from './validate.js';

export interface AffineRanges {
  /** Largest |rotation|, degrees. */
  rotation: number;
  /** Largest |shear| on each axis, radians. */
  shear: number;
  /** [min, max] scale on each axis. */
  scale: readonly [number, number];
  /** Largest |translation| on each axis, pixels. */
  translation: number;
  /** Chance that each of the 7 components is applied; otherwise it keeps its identity value. */
  probability: number;
}

export const KOCH_AFFINE_RANGES: Readonly<AffineRanges> = Object.freeze({
  rotation: 10, shear: 0.3, scale: Object.freeze([0.8, 1.2] as const), translation: 2, probability: 0.5,
});

function resolveRanges(overrides: Partial<AffineRanges> | undefined): AffineRanges {
  const r: AffineRanges = { ...KOCH_AFFINE_RANGES };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!(key in r)) fail(AREA, `ranges.${key}: expected one of ${Object.keys(r).join(', ')}, got an unknown key`);
    if (value !== undefined) Object.assign(r, { [key]: value });
  }
  for (const key of ['rotation', 'shear', 'translation'] as const) {
    if (checkFinite(`ranges.${key}`, r[key]) < 0) fail(AREA, `ranges.${key}: expected a number ≥ 0, got ${r[key]}`);
  }
  const [lo, hi] = Array.isArray(r.scale) && r.scale.length === 2 ? r.scale : [NaN, NaN];
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) fail(AREA, `ranges.scale: expected [min, max] with 0 < min ≤ max, got ${String(r.scale)}`);
  checkFraction('ranges.probability', r.probability, 0.5);
  return r;
}

/**
 * One draw of parameters. Every component consumes two numbers from the stream (applied?, value) whether
 * applied or not, so the stream position after a draw is always the same.
 */
function drawParams(rng: Rng, r: AffineRanges): AffineParams {
  const component = (identity: number, lo: number, hi: number) => {
    const applied = rng() < r.probability;
    const value = lo + (hi - lo) * rng();
    return applied ? value : identity;
  };
  const [s0, s1] = r.scale;
  return {
    rotation: component(0, -r.rotation, r.rotation),
    shearX: component(0, -r.shear, r.shear),
    shearY: component(0, -r.shear, r.shear),
    scaleX: component(1, s0, s1),
    scaleY: component(1, s0, s1),
    translateX: component(0, -r.translation, r.translation),
    translateY: component(0, -r.translation, r.translation),
  };
}

/** Parameters drawn from `random` (a seed, or a stream such as `seededRandom(seed)`), within `ranges` (default Koch's). */
export function randomAffine(random: number | Rng, ranges?: Partial<AffineRanges>): AffineParams {
  const rng = typeof random === 'function' ? random : seededRandom(checkSeed(random));
  return drawParams(rng, resolveRanges(ranges));
}

export interface AugmenterOptions {
  seed: number;
  /** Overrides of Koch's ranges. */
  ranges?: Partial<AffineRanges>;
  /** Value of pixels mapped from outside the image (default 0). */
  background?: number;
}

/** Applies a fresh random affine map per call; an image of k planes gets the same map on each. */
export type Augmenter = (image: Float32Array, height: number, width: number) => Float32Array;

/** An augmenter with its own seeded stream: the n-th call's parameters depend only on the seed and n. */
export function createAugmenter(options: AugmenterOptions): Augmenter {
  const rng = seededRandom(checkSeed(options?.seed));
  const ranges = resolveRanges(options.ranges);
  const background = checkFinite('background', options.background, 0);
  return (image, height, width) => affineAugment(image, height, width, drawParams(rng, ranges), background);
}
