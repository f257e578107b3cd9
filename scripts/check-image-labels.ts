// Do an image folder's labels mean anything? See scripts/lib/check-image-labels.ts.
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/check-image-labels.ts --data DIR [--queries 300] [--seed 1]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkImageLabels } from './lib/check-image-labels.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, queries: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' } } });
if (!values.data) throw new Error('usage: check-image-labels.ts --data DIR [--queries N] [--seed S]');
if (!existsSync(values.data)) {
  console.log(`skipped: no image folder at ${values.data}`);
  process.exit(0);
}
console.log(JSON.stringify(await checkImageLabels(values.data, Number(values.queries), Number(values.seed))));
