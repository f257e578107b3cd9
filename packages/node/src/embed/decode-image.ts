// PNG and JPEG → RGBA pixels, with pure-JS decoders (pngjs, jpeg-js): no native build, any platform.
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { fail, type RasterImage } from '@twinembed/core';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Decodes PNG or JPEG bytes, told apart by their signature, never by a file name. */
export function decodeImageBytes(bytes: Uint8Array, source = 'image'): RasterImage {
  try {
    if (startsWith(bytes, PNG_MAGIC)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height, channels: 4 };
    }
    if (startsWith(bytes, JPEG_MAGIC)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      return { data: img.data, width: img.width, height: img.height, channels: 4 };
    }
  } catch (cause) {
    return fail('image', `cannot decode ${source}: ${(cause as Error).message}`, cause);
  }
  return fail('image', `cannot decode ${source}: expected a PNG or JPEG file, got bytes starting ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
}

export async function decodeImageFile(path: string): Promise<RasterImage> {
  const bytes = await readFile(path).catch((cause: NodeJS.ErrnoException) => fail('io', `cannot read "${path}": ${cause.code === 'ENOENT' ? 'no such file or directory' : cause.message}`, cause));
  return decodeImageBytes(bytes, `"${path}"`);
}
