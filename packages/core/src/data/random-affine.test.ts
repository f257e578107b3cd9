import { describe, expect, test } from 'vitest';
import { seededRandom, seededUniform } from '../random.js';
import { affineAugment, IDENTITY_AFFINE, type AffineParams } from './affine-augment.js';
import { createAugmenter, KOCH_AFFINE_RANGES, randomAffine } from './random-affine.js';

const KEYS = Object.keys(IDENTITY_AFFINE) as (keyof AffineParams)[];

describe('randomAffine', () => {
  test("default ranges are Koch et al.'s: θ ±10°, ρ ±0.3, s 0.8–1.2, t ±2 px, each component with probability 0.5", () => {
    expect(KOCH_AFFINE_RANGES).toEqual({ rotation: 10, shear: 0.3, scale: [0.8, 1.2], translation: 2, probability: 0.5 });
    const N = 4000;
    const rng = seededRandom(12);
    const draws = Array.from({ length: N }, () => randomAffine(rng));
    const bounds: Record<keyof AffineParams, [number, number]> = {
      rotation: [-10, 10], shearX: [-0.3, 0.3], shearY: [-0.3, 0.3], scaleX: [0.8, 1.2], scaleY: [0.8, 1.2], translateX: [-2, 2], translateY: [-2, 2],
    };
    for (const key of KEYS) {
      const values = draws.map((d) => d[key]);
      expect(values.every((v) => v >= bounds[key][0] && v <= bounds[key][1]), key).toBe(true);
      // applied fraction: σ = 0.5/√4000 ≈ 0.008, 0.035 is over 4σ
      expect(Math.abs(values.filter((v) => v !== IDENTITY_AFFINE[key]).length / N - 0.5), key).toBeLessThan(0.035);
      // applied values spread over the whole range: both ends' outer tenths are reached
      const [lo, hi] = bounds[key];
      expect(values.some((v) => v < lo + 0.1 * (hi - lo)) && values.some((v) => v > hi - 0.1 * (hi - lo)), key).toBe(true);
    }
  });

  test('overridden ranges are honoured; probability 0 gives the identity', () => {
    const rng = seededRandom(3);
    for (let t = 0; t < 200; t++) {
      const p = randomAffine(rng, { rotation: 90, scale: [1, 1], probability: 1 });
      expect(Math.abs(p.rotation)).toBeLessThanOrEqual(90);
      expect([p.scaleX, p.scaleY]).toEqual([1, 1]);
      expect(p.translateX).not.toBe(0);
    }
    expect(randomAffine(5, { probability: 0 })).toEqual(IDENTITY_AFFINE);
  });

  test('same seed → same params, different seed → different params', () => {
    expect(randomAffine(42)).toEqual(randomAffine(42));
    expect(randomAffine(42, { probability: 1 })).not.toEqual(randomAffine(43, { probability: 1 }));
  });

  test('bad ranges fail with what was expected and what was found', () => {
    expect(() => randomAffine(1, { scale: [1.2, 0.8] })).toThrow('[twinembed:data] ranges.scale: expected [min, max] with 0 < min ≤ max, got 1.2,0.8');
    expect(() => randomAffine(1, { rotation: -1 })).toThrow('ranges.rotation: expected a number ≥ 0, got -1');
    expect(() => randomAffine(1, { probability: 2 })).toThrow('ranges.probability: expected a number in [0, 1], got 2');
    expect(() => randomAffine(1, { rotate: 5 } as never)).toThrow('ranges.rotate: expected one of rotation, shear, scale, translation, probability, got an unknown key');
  });
});

describe('createAugmenter', () => {
  const image = seededUniform(2, 12 * 10, 0, 1);

  test('each call applies the next drawn params: same seed → same images, different seed → different', () => {
    const a = createAugmenter({ seed: 9 });
    const b = createAugmenter({ seed: 9 });
    const c = createAugmenter({ seed: 10 });
    const rng = seededRandom(9);
    for (let t = 0; t < 10; t++) {
      const out = a(image, 12, 10);
      expect(b(image, 12, 10)).toEqual(out);
      expect(out).toEqual(affineAugment(image, 12, 10, randomAffine(rng)));
      expect(c(image, 12, 10)).not.toEqual(out);
    }
  });

  test('background and ranges reach the map', () => {
    const ranges = { rotation: 0, shear: 0, scale: [1, 1] as const, translation: 5, probability: 1 };
    const out = createAugmenter({ seed: 1, background: 3, ranges })(image, 12, 10);
    const p = randomAffine(1, ranges);
    expect(p.translateX === 0 || p.translateY === 0).toBe(false);
    expect(out).toEqual(affineAugment(image, 12, 10, p, 3));
    expect(out).not.toEqual(affineAugment(image, 12, 10, p, 0)); // a shifted image reads the background at its edges
    expect(() => createAugmenter({ seed: 1, background: NaN })).toThrow('background: expected a finite number, got NaN');
  });
});
