// PNG and JPEG → RGBA pixels, with pure-JS decoders (pngjs, jpeg-js): no native build, any platform.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { fail, type RasterImage } from '@twinembed/core';
import { readRegularFile } from '../read-regular-file.js';
import { DEFAULT_MAX_PIXELS, pngSizeProblem } from './png-limits.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

export interface DecodeImageOptions {
  /** Most pixels (width × height) to decode; larger images are refused before decoding. Default 2^26. */
  maxPixels?: number;
}

/** Decodes PNG or JPEG bytes, told apart by their signature, never by a file name; sizes are checked before decoding. */
export function decodeImageBytes(bytes: Uint8Array, source = 'image', options: DecodeImageOptions = {}): RasterImage {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(Number.isSafeInteger(maxPixels) && maxPixels > 0)) fail('image', `invalid maxPixels: expected a positive integer, got ${String(maxPixels)}`);
  const problem = startsWith(bytes, PNG_MAGIC) ? pngSizeProblem(bytes, maxPixels) : undefined;
  if (problem !== undefined) fail('image', `cannot decode ${source}: ${problem}`);
  try {
    if (startsWith(bytes, PNG_MAGIC)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height, channels: 4 };
    }
    if (startsWith(bytes, JPEG_MAGIC)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6 });
      return { data: img.data, width: img.width, height: img.height, channels: 4 };
    }
  } catch (cause) {
    const message = (cause as Error).message;
    if (/maxResolutionInMP/.test(message)) fail('image', `cannot decode ${source}: expected at most ${maxPixels} pixels (maxPixels), got more (${message})`, cause);
    return fail('image', `cannot decode ${source}: ${message}`, cause);
  }
  return fail('image', `cannot decode ${source}: expected a PNG or JPEG file, got bytes starting ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
}

/** Reads and decodes one image file with the default limits (read the bytes and call decodeImageBytes for others). */
export async function decodeImageFile(path: string): Promise<RasterImage> {
  const bytes = await readRegularFile(path);
  return decodeImageBytes(bytes, `"${path}"`);
}
