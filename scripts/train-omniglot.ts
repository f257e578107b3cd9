// Trains the embedded default image model, models/omniglot, with `twinembed train`, and measures it
// with `twinembed eval`. Data: the Omniglot background set (../shared/data/omniglot28/background)
// and MNIST's test set for validation and test (../shared/data/mnist; both under $TWINEMBED_DATA).
//
// The labels are checked first (scripts/lib/check-image-labels.ts). In the copy this project has,
// a character folder's images are different characters — nearest neighbours share a folder or an
// alphabet at chance rate — so supervised one-shot training and within-alphabet evaluation on it
// measure nothing. The recipe therefore trains self-supervised on Omniglot's 19,280 images (each
// image its own class; positives are two random affine distortions of it; in-batch negatives,
// MultipleNegativesRankingLoss) and validates/tests one-shot on MNIST digits the model never saw.
// `--supervised` runs the within-alphabet recipe instead (for a correctly labeled copy); it is
// refused while the label check says the labels are at chance.
//
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/train-omniglot.ts [--out models/omniglot] [--steps 1500] [--supervised]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeModel, GraphBuilder } from '@twinembed/node';
import { main } from '../packages/node/src/cli/main.js';
import { dataPath, REPO_ROOT } from '../test/support/paths.js';
import { checkImageLabels } from './lib/check-image-labels.js';
import { writeMnistFolder } from './lib/mnist-folder.js';

const { values } = parseArgs({ options: {
  out: { type: 'string', default: join(REPO_ROOT, 'models', 'omniglot') },
  steps: { type: 'string', default: '1500' },
  seed: { type: 'string', default: '0' },
  supervised: { type: 'boolean', default: false },
} });
const omniglot = dataPath('omniglot28', 'background');
const mnist = join(REPO_ROOT, '.tmp', 'mnist');
if (!existsSync(omniglot)) {
  console.log(`skipped: the Omniglot background set is not at ${omniglot} (set TWINEMBED_DATA)`);
  process.exit(0);
}
if (!writeMnistFolder(mnist, dataPath('mnist'))) {
  console.log(`skipped: MNIST is not at ${dataPath('mnist')} (set TWINEMBED_DATA)`);
  process.exit(0);
}

async function twinembed(...argv: string[]): Promise<string> {
  let out = '';
  console.log(`$ twinembed ${argv.join(' ')}`);
  const code = await main(argv, { out: (t) => (out += t), err: (t) => process.stderr.write(t) });
  if (code !== 0) throw new Error(`twinembed ${argv[0]} exited ${code}`);
  return out;
}

const labels = await checkImageLabels(omniglot, 300, 1);
console.log(`label check: ${JSON.stringify(labels)}`);
const atChance = labels.nearestSameClass < 3 * labels.chanceSameClass && labels.nearestSameGroup < 3 * labels.chanceSameGroup;
if (values.supervised && atChance) {
  console.error(`refused: --supervised needs meaningful labels, but nearest neighbours share a class ${labels.nearestSameClass} of the time (chance ${labels.chanceSameClass}) and an alphabet ${labels.nearestSameGroup} (chance ${labels.chanceSameGroup})`);
  process.exit(2);
}
const recipe = values.supervised
  ? ['--loss', 'MultipleNegativesRankingLoss', '--within-alphabet', '--ways', '20', '--val-groups', '5', '--val-ways', '20']
  : ['--loss', 'MultipleNegativesRankingLoss', '--self-supervised', '--ways', '64', '--val-dir', join(mnist, 'validation'), '--val-ways', '10'];
const started = performance.now();
await twinembed('train', '--data', omniglot, '--out', values.out!, '--encoder', 'conv4', '--channels', '32', '--augment', ...recipe,
  '--steps', values.steps!, '--validate-every', '100', '--lr', '2e-3', '--warmup', '50', '--seed', values.seed!, '--json');
const trainSeconds = (performance.now() - started) / 1000;

// The baseline on the same episodes: raw pixels as the embedding (a Flatten "model").
const pixels = join(REPO_ROOT, '.tmp', 'raw-pixels-28');
mkdirSync(pixels, { recursive: true });
const identity = new GraphBuilder();
identity.output(identity.op.Flatten(identity.input('pixels', 'float32', ['batch', 1, 28, 28]), { axis: 1 }), 'embedding');
writeFileSync(join(pixels, 'model.onnx'), encodeModel(identity.toModel()));
writeFileSync(join(pixels, 'twinembed.json'), JSON.stringify({ modality: 'image', output: 'embedding', pooling: 'none', normalize: true }));

const evaluations: Record<string, unknown>[] = [];
const evaluate = async (name: string, ...argv: string[]) => {
  const run = async (model: string) => JSON.parse(await twinembed('eval', 'oneshot', '--model', model, '--episodes', '400', '--seed', '1', '--metric', 'cosine', '--json', ...argv));
  const [result, baseline] = [await run(values.out!), await run(pixels)];
  evaluations.push({ name, data: argv[1], ...result, rawPixels: { accuracy: baseline.accuracy, ci95: baseline.ci95 } });
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`${name}: ${pct(result.accuracy)} ± ${pct(result.ci95)} (raw pixels ${pct(baseline.accuracy)} ± ${pct(baseline.ci95)})`);
};
const test = join(mnist, 'test');
await evaluate('MNIST test, 10-way 1-shot', '--data', test, '--ways', '10', '--shots', '1');
await evaluate('MNIST test, 5-way 1-shot', '--data', test, '--ways', '5', '--shots', '1');
await evaluate('MNIST test, 10-way 5-shot', '--data', test, '--ways', '10', '--shots', '5');
await evaluate('Omniglot background, 20-way 1-shot within alphabet (labels at chance: see labelCheck)', '--data', omniglot, '--ways', '20', '--shots', '1', '--within-alphabet');
mkdirSync(values.out!, { recursive: true });
writeFileSync(join(values.out!, 'evaluation.json'), `${JSON.stringify({ labelCheck: labels, trainSeconds: Number(trainSeconds.toFixed(1)), evaluations }, null, 2)}\n`);
