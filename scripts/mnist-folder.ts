// MNIST's test set (../shared/data/mnist, or $TWINEMBED_DATA/mnist) → <out>/{validation,test}/digit<d>/*.png.
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/mnist-folder.ts --out .tmp/mnist
import { parseArgs } from 'node:util';
import { dataPath } from '../test/support/paths.js';
import { writeMnistFolder } from './lib/mnist-folder.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, data: { type: 'string', default: dataPath('mnist') } } });
if (!values.out) throw new Error('usage: mnist-folder.ts --out DIR [--data DIR]');
console.log(writeMnistFolder(values.out, values.data!) ? `MNIST test images in ${values.out}/{validation,test}/digit0..9` : `skipped: MNIST is not at ${values.data} (set TWINEMBED_DATA or --data)`);
