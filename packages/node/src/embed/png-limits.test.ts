// Decoded-size limits (issue 14): a PNG's IHDR is checked against maxPixels before pngjs inflates
// anything, an interlaced stream may not inflate past what its IHDR allows, and JPEG takes the
// same cap. PNGs are built by hand here (chunks and CRCs) so that hostile headers can be written.
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { crc32, TwinembedError } from '@twinembed/core';
import { decodeImageBytes } from './decode-image.js';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length), view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG from IHDR fields and the raw (filtered) scanlines, deflated into one IDAT. */
function png(width: number, height: number, depth: number, colorType: number, interlace: number, raw: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13), view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([depth, colorType, 0, 0, interlace], 8);
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

const refusal = (decode: () => unknown): string => {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(TwinembedError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal, got a decoded image');
};

describe('PNG and JPEG size limits', () => {
  test('a 1-bit 8193 × 8193 PNG (8 KB, 268 MB as RGBA) is refused by the default 2^26-pixel cap before inflating', () => {
    const bytes = png(8193, 8193, 1, 0, 0, new Uint8Array(8193 * (1 + 1025)));
    expect(bytes.length).toBeLessThan(64 * 1024);
    expect(refusal(() => decodeImageBytes(bytes, '"bomb.png"'))).toBe('[twinembed:image] cannot decode "bomb.png": expected at most 67108864 pixels (maxPixels), got 8193 × 8193 = 67125249');
  });

  test('maxPixels is the cap, inclusive, for PNG and JPEG', () => {
    const image = new PNG({ width: 64, height: 64 });
    image.data.fill(200);
    const pngBytes = PNG.sync.write(image);
    const jpegBytes = jpeg.encode({ data: new Uint8Array(64 * 64 * 4).fill(200), width: 64, height: 64 }, 90).data;
    for (const bytes of [pngBytes, jpegBytes]) {
      expect(decodeImageBytes(bytes, 'x', { maxPixels: 4096 }).width).toBe(64);
      expect(refusal(() => decodeImageBytes(bytes, 'x', { maxPixels: 4095 }))).toMatch(/^\[twinembed:image\] cannot decode x: expected at most 4095 pixels \(maxPixels\), got /);
    }
    expect(refusal(() => decodeImageBytes(pngBytes, 'x', { maxPixels: 0 }))).toMatch(/invalid maxPixels: expected a positive integer, got 0/);
  });

  test('an interlaced 16 × 16 PNG whose stream inflates to 16 MB is refused (pngjs inflates interlaced data without a limit)', () => {
    const bytes = png(16, 16, 8, 6, 1, new Uint8Array(16 << 20));
    expect(refusal(() => decodeImageBytes(bytes, '"i.png"'))).toBe('[twinembed:image] cannot decode "i.png": expected at most 1102 bytes of image data for 16 × 16, got a stream that inflates to more');
  });

  test('a valid interlaced PNG still decodes, pixel for pixel (Adam7 passes of a 3 × 3 grey image)', () => {
    // Passes 1, 4, 5, 6, 7 hold (0,0); (2,0); (0,2) (2,2); (1,0) / (1,2); (0,1) (1,1) (2,1). Each row: filter 0, then pixels.
    const value = (x: number, y: number) => 10 * (y * 3 + x) + 5;
    const rows = [[[0, 0]], [[2, 0]], [[0, 2], [2, 2]], [[1, 0]], [[1, 2]], [[0, 1], [1, 1], [2, 1]]];
    const raw = Uint8Array.from(rows.flatMap((row) => [0, ...row.map(([x, y]) => value(x!, y!))]));
    const image = decodeImageBytes(png(3, 3, 8, 0, 1, raw));
    expect([image.width, image.height]).toEqual([3, 3]);
    expect(Array.from({ length: 9 }, (_, i) => image.data[4 * i])).toEqual(Array.from({ length: 9 }, (_, i) => value(i % 3, Math.floor(i / 3))));
  });
});
