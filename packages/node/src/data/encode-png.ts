// 8-bit grayscale or RGBA pixels → PNG bytes (pngjs), for writing image folders (data set
// conversion scripts, test fixtures) with the same library that decodes them.
import { PNG } from 'pngjs';
import { fail, type RasterImage } from '@twinembed/core';

/** Encodes a gray (1 channel) or RGBA (4 channels) raster as a PNG of the same color type. */
export function encodePng(image: RasterImage): Uint8Array {
  const { width, height, channels, data } = image;
  if (channels !== 1 && channels !== 4) fail('image', `encode PNG: expected 1 (gray) or 4 (RGBA) channels, got ${channels}`);
  if (data.length !== width * height * channels) fail('image', `encode PNG: expected ${width * height * channels} bytes for ${width}×${height}×${channels}, got ${data.length}`);
  const colorType = channels === 1 ? 0 : 6;
  const png = new PNG({ width, height, colorType, inputColorType: colorType, inputHasAlpha: channels === 4 });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: channels === 4 });
}
