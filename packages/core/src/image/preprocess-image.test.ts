import { describe, expect, test } from 'vitest';
import { preprocessImage, type ImagePreprocessing } from './preprocess-image.js';

const plain: ImagePreprocessing = { height: 2, width: 2, channels: 3, layout: 'nchw', scale: 1, mean: [0], std: [1], invert: false };
// 2×2 RGBA: red, green / blue, white (alpha ignored).
const rgba = { data: Uint8Array.of(255, 0, 0, 9, 0, 255, 0, 9, 0, 0, 255, 9, 255, 255, 255, 9), width: 2, height: 2, channels: 4 as const };

describe('preprocessImage', () => {
  test('same size: pixels copied exactly, alpha dropped, NCHW and NHWC', () => {
    expect(Array.from(preprocessImage(rgba, plain))).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
    expect(Array.from(preprocessImage(rgba, { ...plain, layout: 'nhwc' }))).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
  });

  test('grayscale is BT.601 luma; scale, invert, then (x − mean) / std', () => {
    const gray = preprocessImage(rgba, { ...plain, channels: 1, scale: 1 / 255, invert: true, mean: [0.5], std: [0.5] });
    const luma = [0.299, 0.587, 0.114, 1];
    gray.forEach((v, i) => expect(v).toBeCloseTo(((1 - luma[i]!) - 0.5) / 0.5, 6));
  });

  test('bilinear downscale with half-pixel centres: 2×2 → 1×1 is the mean', () => {
    const one = preprocessImage({ data: Uint8Array.of(0, 100, 200, 60), width: 2, height: 2, channels: 1 }, { ...plain, height: 1, width: 1, channels: 1 });
    expect(Array.from(one)).toEqual([90]);
  });

  test('a raster whose size does not match its data', () => {
    expect(() => preprocessImage({ ...rgba, width: 3 }, plain)).toThrow('[twinembed:image] raster of 3×2×4: expected 24 bytes, got 16');
  });
});
