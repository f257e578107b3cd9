// MNIST's test set (idx files in ../shared/data/mnist, or $TWINEMBED_DATA/mnist) → an image folder
// that `twinembed train --val-dir` and `twinembed eval` read: <out>/<split>/digit<d>/<index>.png.
// Split "validation" = images 0–4999, "test" = images 5000–9999 (tune on the first, report the second).
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/mnist-folder.ts --out /tmp/mnist
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { encodePng } from '@twinembed/node';
import { dataPath } from '../test/support/paths.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, data: { type: 'string', default: dataPath('mnist') } } });
if (!values.out) throw new Error('usage: tsx scripts/mnist-folder.ts --out DIR [--data DIR]');
const images = join(values.data!, 't10k-images-idx3-ubyte.gz');
if (!existsSync(images)) {
  console.log(`skipped: MNIST is not at ${values.data} (set TWINEMBED_DATA or --data)`);
  process.exit(0);
}
const pixels = gunzipSync(readFileSync(images));
const labels = gunzipSync(readFileSync(join(values.data!, 't10k-labels-idx1-ubyte.gz')));
if (pixels.readUInt32BE(0) !== 0x803 || labels.readUInt32BE(0) !== 0x801) throw new Error('expected idx magic numbers 0x803 (images) and 0x801 (labels)');
const count = pixels.readUInt32BE(4);
for (let i = 0; i < count; i++) {
  const dir = join(values.out, i < count / 2 ? 'validation' : 'test', `digit${labels[8 + i]}`);
  mkdirSync(dir, { recursive: true });
  const data = pixels.subarray(16 + i * 784, 16 + (i + 1) * 784);
  writeFileSync(join(dir, `${String(i).padStart(5, '0')}.png`), encodePng({ data, width: 28, height: 28, channels: 1 }));
}
console.log(`wrote ${count} MNIST test images into ${values.out}/{validation,test}/digit0..9`);
