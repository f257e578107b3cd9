// Writes one-shot runs in Lake et al.'s layout from a background-style folder (see scripts/lib/lake-runs.ts),
// for `twinembed eval oneshot --runs`. Measure a model only on alphabets it was not trained on (--alphabets).
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/lake-runs.ts --out DIR [--from DIR] [--runs 20] [--seed 0] [--alphabets A,B]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataPath } from '../test/support/paths.js';
import { writeLakeRuns } from './lib/lake-runs.js';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: dataPath('omniglot105', 'background') }, out: { type: 'string' },
    runs: { type: 'string', default: '20' }, seed: { type: 'string', default: '0' }, alphabets: { type: 'string' },
  },
});
if (!values.out) throw new Error('usage: lake-runs.ts --out DIR [--from DIR] [--runs N] [--seed S] [--alphabets A,B]');
if (!existsSync(values.from)) {
  console.log(`skipped: no background set at ${values.from}`);
  process.exit(0);
}
const runs = await writeLakeRuns({
  from: values.from, to: values.out, sourceInk: 'light', runs: Number(values.runs), seed: Number(values.seed),
  alphabets: values.alphabets?.split(','),
});
for (const run of runs) console.log(`${run.name}: ${run.alphabet}, training/ from drawer file ${run.trainingDrawer}, test/ from ${run.testDrawer}`);
