// PNG's declared size, read from IHDR before pngjs inflates anything: a few hundred kilobytes of
// zeros can claim gigabytes of pixels. Interlaced images get a bounded inflate first, because
// pngjs inflates those without a limit on the output.
import { inflateSync } from 'node:zlib';

/** Decoded pixels allowed by default: 2^26 (e.g. 8192 × 8192), at most 256 MiB as RGBA. */
export const DEFAULT_MAX_PIXELS = 2 ** 26;

/** Channels per PNG colour type (grey, RGB, palette, grey + alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Returns why the PNG may not be decoded (too many pixels, an unbounded stream), or undefined. */
export function pngSizeProblem(bytes: Uint8Array, maxPixels: number): string | undefined {
  if (bytes.length < 33) return undefined; // too short for IHDR: pngjs says what is wrong
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (chunkType(bytes, 12) !== 'IHDR') return undefined;
  const width = view.getUint32(16), height = view.getUint32(20), depth = bytes[24]!, channels = CHANNELS[bytes[25]!];
  if (width * height > maxPixels) return `expected at most ${maxPixels} pixels (maxPixels), got ${width} × ${height} = ${width * height}`;
  if (bytes[28] !== 1 || channels === undefined) return undefined;
  // Adam7: Σ rows · (1 + ⌈row pixels · bits / 8⌉) ≤ ⌈w·h·bits / 8⌉ + 2 · Σ rows, and Σ rows ≤ 15h/8 + 7.
  const bound = Math.ceil((width * height * channels * depth) / 8) + 4 * height + 14;
  try {
    inflateSync(idatStream(bytes, view), { maxOutputLength: Math.max(bound, 1) });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return `expected at most ${bound} bytes of image data for ${width} × ${height}, got a stream that inflates to more`;
  }
  return undefined; // other inflate errors: pngjs reports them
}

function idatStream(bytes: Uint8Array, view: DataView): Buffer {
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    if (chunkType(bytes, at + 4) === 'IDAT') parts.push(bytes.subarray(at + 8, Math.min(at + 8 + length, bytes.length)));
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

const chunkType = (bytes: Uint8Array, at: number): string => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
