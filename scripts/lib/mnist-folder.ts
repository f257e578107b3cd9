// MNIST's test set (idx files) → an image folder that `twinembed train --val-dir` and `twinembed
// eval` read: <out>/<split>/digit<d>/<index>.png. Split "validation" = images 0–4999, "test" =
// images 5000–9999: tune on the first, report the second.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodePng } from '@twinembed/node';

export const MNIST_SPLITS = ['validation', 'test'] as const;

/** Writes the folder (skipped when `<out>/test` already exists); returns false when MNIST is not in `dataDir`. */
export function writeMnistFolder(out: string, dataDir: string): boolean {
  const images = join(dataDir, 't10k-images-idx3-ubyte.gz');
  if (!existsSync(images)) return false;
  if (existsSync(join(out, 'test'))) return true;
  const pixels = gunzipSync(readFileSync(images));
  const labels = gunzipSync(readFileSync(join(dataDir, 't10k-labels-idx1-ubyte.gz')));
  if (pixels.readUInt32BE(0) !== 0x803 || labels.readUInt32BE(0) !== 0x801) throw new Error('expected idx magic numbers 0x803 (images) and 0x801 (labels)');
  const count = pixels.readUInt32BE(4);
  for (let i = 0; i < count; i++) {
    const dir = join(out, MNIST_SPLITS[i < count / 2 ? 0 : 1], `digit${labels[8 + i]}`);
    mkdirSync(dir, { recursive: true });
    const data = pixels.subarray(16 + i * 784, 16 + (i + 1) * 784);
    writeFileSync(join(dir, `${String(i).padStart(5, '0')}.png`), encodePng({ data, width: 28, height: 28, channels: 1 }));
  }
  return true;
}
