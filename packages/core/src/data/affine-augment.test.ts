import { describe, expect, test } from 'vitest';
import { seededUniform } from '../random.js';
import { affineAugment, IDENTITY_AFFINE, type AffineParams } from './affine-augment.js';

const params = (p: Partial<AffineParams>): AffineParams => ({ ...IDENTITY_AFFINE, ...p });

/** np.rot90(a, k=1): a quarter turn counter-clockwise as displayed, out[i][j] = a[j][n − 1 − i]. */
function rot90(a: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = a[j * n + (n - 1 - i)]!;
  return out;
}

/** The [h, w] image with value f(x, y) at pixel (x, y). */
function imageOf(h: number, w: number, f: (x: number, y: number) => number): Float32Array {
  return Float32Array.from({ length: h * w }, (_, i) => f(i % w, Math.floor(i / w)));
}

describe('affineAugment', () => {
  const image = seededUniform(1, 6 * 5, -1, 1); // [6, 5]: no symmetry to hide a transposed or flipped result

  test('identity params give the input exactly', () => {
    const out = affineAugment(image, 6, 5, IDENTITY_AFFINE);
    expect(out).toEqual(image);
    expect(out).not.toBe(image);
  });

  test('an integer translation shifts pixels exactly and fills with the background', () => {
    const out = affineAugment(image, 6, 5, params({ translateX: 2, translateY: -1 }), -7);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 5; x++) {
        const [sx, sy] = [x - 2, y + 1];
        const inside = sx >= 0 && sy >= 0 && sx < 5 && sy < 6;
        expect(out[y * 5 + x], `(${x}, ${y})`).toBe(inside ? image[sy * 5 + sx] : -7);
      }
    }
  });

  // With pixel centres at integers and the centre at ((n − 1)/2, (n − 1)/2), a quarter turn maps pixel centres onto
  // pixel centres. Binary images (as Omniglot's) check that no neighbour leaks in: 0 must stay exactly 0.
  test('quarter turns of square images match np.rot90 exactly (pixel centres map onto pixel centres)', () => {
    for (const n of [4, 5, 105]) {
      const square = seededUniform(n, n * n, 0, 1).map((v) => (v < 0.5 ? 0 : 1));
      expect(affineAugment(square, n, n, params({ rotation: 90 }))).toEqual(rot90(square, n));
      expect(affineAugment(square, n, n, params({ rotation: 180 }))).toEqual(rot90(rot90(square, n), n));
      expect(affineAugment(square, n, n, params({ rotation: -90 }))).toEqual(rot90(rot90(rot90(square, n), n), n));
    }
    // [[1, 2], [3, 4]] turned counter-clockwise: the right column becomes the top row.
    expect([...affineAugment(Float32Array.of(1, 2, 3, 4), 2, 2, params({ rotation: 90 }))]).toEqual([2, 4, 1, 3]);
  });

  test('half-pixel translation averages neighbours (bilinear), reading the background past the edge', () => {
    const row = Float32Array.of(0, 4, 8, 2);
    expect([...affineAugment(row, 1, 4, params({ translateX: 0.5 }), 10)]).toEqual([5, 2, 6, 5]);
  });

  // Bilinear sampling reproduces affine functions exactly, so on a ramp image the output is the ramp
  // composed with the inverse map: an oracle for the documented convention p_out = R·H·S·(p_in − c) + c + t.
  const n = 9;
  const c = 4;
  const rampX = imageOf(n, n, (x) => x);
  const interior = (f: (x: number, y: number) => number, out: Float32Array) => {
    for (let y = 3; y <= 5; y++) for (let x = 3; x <= 5; x++) expect(out[y * n + x], `(${x}, ${y})`).toBeCloseTo(f(x, y), 5);
  };

  test('scale stretches about the centre; shearX moves x by tan(shearX)·(y − c)', () => {
    interior((x) => c + (x - c) / 2, affineAugment(rampX, n, n, params({ scaleX: 2 })));
    interior((x, y) => x - 0.5 * (y - c), affineAugment(rampX, n, n, params({ shearX: Math.atan(0.5) })));
    const rampY = imageOf(n, n, (_, y) => y);
    interior((x, y) => y - 0.25 * (x - c), affineAugment(rampY, n, n, params({ shearY: Math.atan(0.25) })));
    interior((x, y) => y, affineAugment(rampY, n, n, params({ shearX: 0.3 }))); // x-shear leaves rows alone
  });

  test('scale applies before rotation: (d, 0) → (2d, 0) → (0, −2d)', () => {
    // Rotated 90° counter-clockwise after doubling x, the column x = c reads the ramp at c + (c − y)/2.
    const out = affineAugment(rampX, n, n, params({ scaleX: 2, rotation: 90 }));
    for (let y = 1; y <= 7; y++) expect(out[y * n + c]).toBeCloseTo(c + (c - y) / 2, 5);
  });

  test('corners rotated far outside read exactly the background; planes share the map', () => {
    const out = affineAugment(rampX, n, n, params({ rotation: 45 }), 7);
    for (const i of [0, n - 1, n * (n - 1), n * n - 1]) expect(out[i]).toBe(7);
    const two = new Float32Array([...image, ...image.map((v) => 2 * v)]);
    const p = params({ rotation: 17, shearX: 0.1, scaleY: 0.9, translateX: 0.7 });
    const one = affineAugment(image, 6, 5, p);
    const both = affineAugment(two, 6, 5, p);
    expect(both.subarray(0, 30)).toEqual(one);
    expect(both.subarray(30)).toEqual(one.map((v) => 2 * v));
  });

  test('bad input fails with what was expected and what was found', () => {
    expect(() => affineAugment(image, 6, 4, IDENTITY_AFFINE)).toThrow('[twinembed:data] image: expected a Float32Array of k × 6 × 4 values, got 30');
    expect(() => affineAugment(image, 0, 5, IDENTITY_AFFINE)).toThrow('height: expected an integer ≥ 1, got 0');
    expect(() => affineAugment(image, 6, 5, params({ scaleX: 0 }))).toThrow(/expected an invertible map, got determinant 0/);
    expect(() => affineAugment(image, 6, 5, params({ rotation: NaN }))).toThrow('affine params.rotation: expected a finite number, got NaN');
  });
});
