// The recipe comparison behind models/omniglot: each variant trained for the same short budget
// (2,000 steps, seed 0) and scored by its best 20-way 1-shot validation accuracy within one of the
// held-out alphabets (200 episodes). Writes .tmp/ablations/<name>/ and models/omniglot/ablations.json,
// and prints the markdown table of models/README.md. A variant whose training.json exists is not rerun.
//
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/omniglot-ablations.ts [--only name,name] [--steps 2000] [--report]
// (--report trains nothing: it tabulates the variants already trained)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/support/paths.js';
import { COMMON_FLAGS, requireOmniglot, twinembed } from './lib/omniglot.js';

const MNRL = ['--loss', 'MultipleNegativesRankingLoss'];
const WITHIN20 = ['--within-alphabet', '--ways', '20'];
/** name → what changes, and the flags (besides the common ones). */
const VARIANTS: Record<string, { change: string; flags: string[] }> = {
  'mnrl-c32': { change: 'MNRL, 20 classes of one alphabet per step, augmented, conv4-32', flags: [...MNRL, ...WITHIN20, '--augment', '--channels', '32'] },
  'mnrl-c64': { change: '… conv4-64', flags: [...MNRL, ...WITHIN20, '--augment', '--channels', '64'] },
  'mnrl-c64-noaug': { change: '… without affine augmentation', flags: [...MNRL, ...WITHIN20, '--channels', '64'] },
  'mnrl-c64-rot': { change: '… + rotations as new classes', flags: [...MNRL, ...WITHIN20, '--augment', '--rotations', '--channels', '64'] },
  'mnrl-c64-rot-mixed40': { change: '… + rotations, 40 classes from any alphabets per step', flags: [...MNRL, '--ways', '40', '--augment', '--rotations', '--channels', '64'] },
  // the embedding is L2-normalized (distances ≤ 2): sentence-transformers' default margin 5 can never be met, and collapses it
  'batchhard-c64': { change: 'BatchHardTripletLoss (margin 0.5), 20 classes × 4 of one alphabet, augmented, conv4-64', flags: ['--loss', 'BatchHardTripletLoss', '--margin', '0.5', ...WITHIN20, '--m-per-class', '4', '--augment', '--channels', '64'] },
  'kochbce-c64': { change: "Koch's pair BCE with its head, 64 pairs per step, augmented, conv4-64", flags: ['--loss', 'KochBCE', '--batch-size', '64', '--augment', '--channels', '64', '--metric', 'cosine'] },
};

const { values } = parseArgs({ options: { only: { type: 'string' }, steps: { type: 'string', default: '2000' }, report: { type: 'boolean', default: false } } });
requireOmniglot();
const names = values.report ? [] : values.only ? values.only.split(',') : Object.keys(VARIANTS);
for (const name of names) {
  const variant = VARIANTS[name] ?? (() => { throw new Error(`unknown variant "${name}": ${Object.keys(VARIANTS).join(', ')}`); })();
  const out = join(REPO_ROOT, '.tmp', 'ablations', name);
  if (existsSync(join(out, 'training.json'))) continue;
  mkdirSync(join(out, '..'), { recursive: true });
  await twinembed('train', ...COMMON_FLAGS, ...variant.flags, '--out', out, '--steps', values.steps!, '--lr', '2e-3', '--warmup', '100',
    '--validate-every', '250', '--seed', '0', '--json');
}

const rows = Object.entries(VARIANTS).flatMap(([name, variant]) => {
  const file = join(REPO_ROOT, '.tmp', 'ablations', name, 'training.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return [{ name, change: variant.change, command: report.command, bestValidationAccuracy: report.bestValidationAccuracy, bestStep: report.bestStep, wallSeconds: report.wallSeconds }];
});
writeFileSync(join(REPO_ROOT, 'models', 'omniglot', 'ablations.json'), `${JSON.stringify(rows, null, 2)}\n`);
console.log('| variant | what changes | 20-way 1-shot validation (best, 200 episodes) | at step | wall time |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| \`${r.name}\` | ${r.change} | ${(100 * r.bestValidationAccuracy).toFixed(1)}% | ${r.bestStep} | ${Math.round(r.wallSeconds)} s |`);
