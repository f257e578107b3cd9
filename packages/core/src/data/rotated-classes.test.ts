import { describe, expect, it } from 'vitest';
import { rotateInto, withRotatedClasses } from './rotated-classes.js';

// A 3×3 image with distinct values, laid out as displayed (row 0 on top):
//   1 2 3
//   4 5 6
//   7 8 9
const image = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);

describe('rotateInto', () => {
  it('turns counter-clockwise as displayed, by 90°, 180° and 270°', () => {
    const out = new Float32Array(9);
    rotateInto(image, out, 1, 3, 1);
    expect(Array.from(out)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    rotateInto(image, out, 1, 3, 2);
    expect(Array.from(out)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    rotateInto(image, out, 1, 3, 3);
    expect(Array.from(out)).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
  });
});

describe('withRotatedClasses', () => {
  it('appends each turn as new classes in new groups', () => {
    const images = new Float32Array(18);
    images.set(image);
    images.set(image.map((v) => -v), 9);
    const rotated = withRotatedClasses({ images, shape: [1, 3, 3], labels: [0, 1], classGroups: [0, 0] }, [2]);
    expect(Array.from(rotated.labels)).toEqual([0, 1, 2, 3]);
    expect(Array.from(rotated.classGroups)).toEqual([0, 0, 1, 1]);
    expect(Array.from(rotated.images.subarray(18, 27))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(Array.from(rotated.images.subarray(27, 36))).toEqual([-9, -8, -7, -6, -5, -4, -3, -2, -1]);
  });

  it('refuses non-square images and turns outside 1..3', () => {
    const data = { images: new Float32Array(6), shape: [1, 2, 3] as const, labels: [0], classGroups: [0] };
    expect(() => withRotatedClasses(data, [1])).toThrow(/square images, got 2×3/);
    expect(() => withRotatedClasses({ ...data, shape: [1, 1, 6] as const }, [1])).toThrow(/square/);
    expect(() => withRotatedClasses({ images: new Float32Array(4), shape: [1, 2, 2], labels: [0], classGroups: [0] }, [4])).toThrow(/among 1, 2, 3, got 4/);
  });
});
