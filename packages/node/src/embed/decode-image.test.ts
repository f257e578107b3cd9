import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { decodeImageBytes } from './decode-image.js';

describe('decodeImageBytes', () => {
  test('PNG: exact RGBA', () => {
    const png = new PNG({ width: 3, height: 2 });
    png.data.set(Array.from({ length: 24 }, (_, i) => i * 10));
    const image = decodeImageBytes(PNG.sync.write(png));
    expect([image.width, image.height, image.channels]).toEqual([3, 2, 4]);
    expect(Array.from(image.data)).toEqual(Array.from({ length: 24 }, (_, i) => i * 10));
  });

  test('JPEG: a flat colour survives lossy coding within a few levels', () => {
    const data = new Uint8Array(16 * 16 * 4);
    for (let i = 0; i < 256; i++) data.set([200, 120, 40, 255], i * 4);
    const image = decodeImageBytes(jpeg.encode({ data, width: 16, height: 16 }, 95).data);
    expect([image.width, image.height]).toEqual([16, 16]);
    expect(Math.max(...Array.from(image.data, (v, i) => Math.abs(v - data[i]!)))).toBeLessThanOrEqual(3);
  });

  test('anything else is one clear error', () => {
    expect(() => decodeImageBytes(new TextEncoder().encode('GIF89a...'), '"x.gif"')).toThrow('[twinembed:image] cannot decode "x.gif": expected a PNG or JPEG file, got bytes starting 47 49 46 38');
    expect(() => decodeImageBytes(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0, 0), '"bad.png"')).toThrow(/^\[twinembed:image\] cannot decode "bad.png": /);
  });
});
