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

  test('area downscale (the default): each output pixel is the overlap-weighted mean of the span it covers', () => {
    const gray1 = { ...plain, channels: 1 as const };
    const row = (values: number[]) => ({ data: Uint8Array.from(values), width: values.length, height: 1, channels: 1 as const });
    // 4 → 1: the mean of all four; 3 → 2 (r = 1.5): (p0 + p1/2) / 1.5 and (p1/2 + p2) / 1.5.
    expect(Array.from(preprocessImage(row([0, 100, 200, 60]), { ...gray1, height: 1, width: 1 }))).toEqual([90]);
    expect(Array.from(preprocessImage(row([0, 90, 180]), { ...gray1, height: 1, width: 2 }))).toEqual([30, 150]);
  });

  test('area downscale by whole factors matches PIL Image.reduce((3, 2)) to its 8-bit rounding', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => (i * 37 + 11) % 256); // 6 wide × 4 high
    const out = preprocessImage({ data, width: 6, height: 4, channels: 1 }, { ...plain, channels: 1, height: 2, width: 2 });
    // Block means by hand: (11+48+85+233+14+51)/6, (122+159+196+88+125+162)/6, …
    [221 / 3, 142, 529 / 3, 74].forEach((mean, i) => expect(out[i]).toBe(Math.fround(mean))); // the output is float32
    // Pillow 9.4: Image.fromarray(a, 'L').reduce((3, 2)) → [[74, 142], [176, 74]].
    expect(Array.from(out, Math.round)).toEqual([74, 142, 176, 74]);
  });

  test('resize "bilinear" samples at half-pixel centres (no antialiasing); enlarging is bilinear for both filters', () => {
    const wide = { data: Uint8Array.of(0, 100, 200, 60), width: 4, height: 1, channels: 1 as const };
    const gray1 = { ...plain, channels: 1 as const, height: 1 };
    // 4 → 1: the centre 1.5 lies between pixels 1 and 2.
    expect(Array.from(preprocessImage(wide, { ...gray1, width: 1, resize: 'bilinear' }))).toEqual([150]);
    // 2 → 4: centres at −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const narrow = { data: Uint8Array.of(0, 100), width: 2, height: 1, channels: 1 as const };
    for (const resize of ['area', 'bilinear'] as const) expect(Array.from(preprocessImage(narrow, { ...gray1, width: 4, resize }))).toEqual([0, 25, 75, 100]);
    expect(() => preprocessImage(narrow, { ...gray1, width: 4, resize: 'nearest' as 'area' })).toThrow('[twinembed:image] resize: expected one of area, bilinear, got "nearest"');
  });

  test('a raster whose size does not match its data', () => {
    expect(() => preprocessImage({ ...rgba, width: 3 }, plain)).toThrow('[twinembed:image] raster of 3×2×4: expected 24 bytes, got 16');
  });
});
