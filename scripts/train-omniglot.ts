// Trains the embedded default image model, models/omniglot, supervised on the Omniglot background
// alphabets with `twinembed train`, and measures it with `twinembed eval` on the held-out background
// alphabets (scripts/lib/omniglot.ts names them) and, as a transfer result, on MNIST digits.
// The recipe is the best of scripts/omniglot-ablations.ts (the table in models/README.md).
// The labels are checked first (scripts/lib/check-image-labels.ts): a copy whose nearest neighbours
// share a character at chance rate cannot teach or measure one-shot classification, and is refused.
//
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/train-omniglot.ts [--out models/omniglot] [--steps 25000] [--seed 0]
//      … --evaluate-only re-measures the model already in --out (its training.json gives the training time).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeModel, GraphBuilder } from '@twinembed/node';
import { dataPath, REPO_ROOT } from '../test/support/paths.js';
import { checkImageLabels } from './lib/check-image-labels.js';
import { writeMnistFolder } from './lib/mnist-folder.js';
import { writeLakeRuns } from './lib/lake-runs.js';
import { COMMON_FLAGS, OMNIGLOT, requireOmniglot, twinembed, VALIDATION_ALPHABETS, validationFolder } from './lib/omniglot.js';

/** The chosen recipe (see scripts/omniglot-ablations.ts for the alternatives and their scores). */
export const RECIPE = [
  '--loss', 'MultipleNegativesRankingLoss', '--within-alphabet', '--ways', '20', '--augment', '--rotations', '--channels', '64',
  '--lr', '2e-3', '--warmup', '500', '--validate-every', '1000', '--patience', '8',
] as const;

const { values } = parseArgs({ options: {
  out: { type: 'string', default: join(REPO_ROOT, 'models', 'omniglot') },
  steps: { type: 'string', default: '25000' },
  seed: { type: 'string', default: '0' },
  'evaluate-only': { type: 'boolean', default: false },
} });
requireOmniglot();

const labels = await checkImageLabels(OMNIGLOT, 300, 1);
console.log(`label check: ${JSON.stringify(labels)}`);
if (labels.nearestSameClass < 3 * labels.chanceSameClass) {
  console.error(`refused: nearest neighbours share a character ${labels.nearestSameClass} of the time (chance ${labels.chanceSameClass}): the labels cannot teach one-shot classification`);
  process.exit(2);
}
const out = values.out!;
if (!values['evaluate-only']) {
  await twinembed('train', ...COMMON_FLAGS, ...RECIPE, '--out', out, '--steps', values.steps!, '--seed', values.seed!, '--json', ...(existsSync(out) ? ['--overwrite'] : []));
}
const trainSeconds: number = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')).wallSeconds;

// The baseline on the same episodes: raw pixels as the embedding (a Flatten "model").
const pixels = join(REPO_ROOT, '.tmp', 'raw-pixels-28');
mkdirSync(pixels, { recursive: true });
const identity = new GraphBuilder();
identity.output(identity.op.Flatten(identity.input('pixels', 'float32', ['batch', 1, 28, 28]), { axis: 1 }), 'embedding');
writeFileSync(join(pixels, 'model.onnx'), encodeModel(identity.toModel()));
writeFileSync(join(pixels, 'twinembed.json'), JSON.stringify({ modality: 'image', output: 'embedding', pooling: 'none', normalize: true, image: { size: 28, channels: 1, ink: 'light' } }));

const evaluations: Record<string, unknown>[] = [];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
/** Seed 1: other episodes than training's validation (seed 0) drew. */
const evaluate = async (name: string, task: 'oneshot' | 'verification', ...argv: string[]) => {
  const run = async (model: string) => JSON.parse(await twinembed('eval', task, '--model', model, '--seed', '1', '--metric', 'cosine', '--json', ...argv));
  const [result, baseline] = [await run(out), await run(pixels)];
  evaluations.push({ name, ...result, rawPixels: task === 'oneshot' ? { accuracy: baseline.accuracy, ci95: baseline.ci95 } : { rocAuc: baseline.rocAuc, accuracy: baseline.accuracy } });
  console.log(task === 'oneshot'
    ? `${name}: ${pct(result.accuracy)} ± ${pct(result.ci95)} (raw pixels ${pct(baseline.accuracy)} ± ${pct(baseline.ci95)})`
    : `${name}: ROC-AUC ${result.rocAuc.toFixed(4)} (raw pixels ${baseline.rocAuc.toFixed(4)})`);
};
const heldOut = validationFolder(join(REPO_ROOT, '.tmp', 'omniglot-validation-alphabets'));
const within = ['--data', heldOut, '--within-alphabet', '--episodes', '400'];
await evaluate('held-out alphabets, 20-way 1-shot within alphabet', 'oneshot', ...within, '--ways', '20', '--shots', '1');
await evaluate('held-out alphabets, 5-way 1-shot within alphabet', 'oneshot', ...within, '--ways', '5', '--shots', '1');
await evaluate('held-out alphabets, 20-way 5-shot within alphabet', 'oneshot', ...within, '--ways', '20', '--shots', '5');
await evaluate('held-out alphabets, verification (2,000 pairs)', 'verification', '--data', heldOut, '--pairs', '2000');
// Lake et al.'s format: 20 runs of 20 characters (one alphabet each) written from the 105×105 originals
// of the held-out alphabets, black on white; the model's manifest (ink, area resize) brings them to its input.
const original = dataPath('omniglot105', 'background');
if (existsSync(original)) {
  const runsDir = join(REPO_ROOT, '.tmp', 'lake-runs-validation-alphabets');
  rmSync(runsDir, { recursive: true, force: true });
  await writeLakeRuns({ from: original, to: runsDir, sourceInk: 'light', runs: 20, seed: 0, alphabets: VALIDATION_ALPHABETS });
  const run = async (model: string) => JSON.parse(await twinembed('eval', 'oneshot', '--model', model, '--runs', runsDir, '--metric', 'cosine', '--json'));
  const [result, baseline] = [await run(out), await run(pixels)];
  evaluations.push({ name: "held-out alphabets, 20 runs in Lake's layout (105×105, black on white)", ...result, rawPixels: { accuracy: baseline.accuracy } });
  console.log(`Lake-layout runs: ${pct(result.accuracy)} (raw pixels ${pct(baseline.accuracy)})`);
} else {
  console.log(`skipped the Lake-layout runs: the 105×105 originals are not at ${original}`);
}
const mnist = join(REPO_ROOT, '.tmp', 'mnist');
if (writeMnistFolder(mnist, dataPath('mnist'))) {
  const test = ['--data', join(mnist, 'test'), '--episodes', '400'];
  await evaluate('transfer: MNIST test digits, 10-way 1-shot', 'oneshot', ...test, '--ways', '10', '--shots', '1');
  await evaluate('transfer: MNIST test digits, 5-way 1-shot', 'oneshot', ...test, '--ways', '5', '--shots', '1');
  await evaluate('transfer: MNIST test digits, 10-way 5-shot', 'oneshot', ...test, '--ways', '10', '--shots', '5');
} else {
  console.log(`skipped the MNIST transfer figures: MNIST is not at ${dataPath('mnist')}`);
}
writeFileSync(join(out, 'evaluation.json'), `${JSON.stringify({ labelCheck: labels, trainSeconds: Number(trainSeconds.toFixed(1)), evaluations }, null, 2)}\n`);
