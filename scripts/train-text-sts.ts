// Regenerates models/text-sts — the default text model fine-tuned on STS-B train — by rerunning the
// whole recipe: `twinembed finetune --model text` (checkpoint chosen on STS-B dev), the tuned weights
// stored as int8 by the same builder as models/text, and training.json with dev Spearman before/after.
//
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/train-text-sts.ts [--out models/text-sts] [--work .tmp/text-sts]
// (--steps N instead of the recipe's epochs: a quick check of the pipeline, not the shipped model)
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../packages/node/src/cli/main.js';
import { dataPath, REPO_ROOT } from '../test/support/paths.js';
import { int8ModelFromTuned, SHARED_FILES, TEXT_DIR, textStsNotice } from './lib/text-sts-model.js';
import { textModelFiles } from './lib/text-model.js';

const { values } = parseArgs({ options: {
  out: { type: 'string', default: join(REPO_ROOT, 'models', 'text-sts') },
  work: { type: 'string', default: join(REPO_ROOT, '.tmp', 'text-sts') },
  steps: { type: 'string' },
  /** A finished `finetune --out` of this recipe: store and measure it without training again. */
  from: { type: 'string' },
} });
const rel = (path: string) => relative(REPO_ROOT, path) || '.';
const TRAIN = dataPath('sts', 'sts-train.csv');
const DEV = dataPath('sts', 'sts-dev.csv');
if (!existsSync(TRAIN) || !existsSync(DEV)) {
  console.log(`skipped: STS-B is absent (expected ${TRAIN} and ${DEV}; set TWINEMBED_DATA to its folder's parent)`);
  process.exit(0);
}
process.chdir(REPO_ROOT); // `--model text` is the default model only while no ./text folder is in the working directory

/** The recipe (chosen by the experiments in README.md's "Fine-tuning the default text model"). */
const RECIPE = ['--loss', 'CosineSimilarityLoss', '--optimizer', 'adamw', '--lr', '1e-4', '--batch-size', '16', '--epochs', '1', '--seed', '42', '--eval-every', '60'];

/** Runs the CLI in this process; `onLine` sees each line it prints. */
async function twinembed(args: string[], onLine: (line: string) => void = () => {}): Promise<void> {
  let pending = '';
  const code = await main(args, {
    out: (text) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      lines.forEach(onLine);
    },
    err: (text) => process.stderr.write(text),
  });
  if (pending) onLine(pending);
  if (code !== 0) throw new Error(`twinembed ${args.join(' ')}: exit ${code}`);
}

async function devSpearman(model: string): Promise<number> {
  let score = NaN;
  await twinembed(['eval', 'sts', '--model', model, '--data', rel(DEV), '--json'], (line) => {
    score = (JSON.parse(line) as { metrics: { spearman_cosine: number } }).metrics.spearman_cosine;
  });
  return score;
}

interface FinetuneReport {
  steps: number; epochs: number; batchSize: number; seed: number; optimizer: object; lossOptions: object; stepsPerSecond: number;
  datasets: { data: string; loss: string; rows: number }[];
  seconds: { build: number; train: number; evaluate: number; total: number };
  evaluation: { examples: number; every: number; best: { step: number; score: number }; log: { step: number; score: number }[] };
}

const tuned = values.from ?? join(values.work, 'finetuned');
if (values.from === undefined) rmSync(values.work, { recursive: true, force: true });
mkdirSync(values.work, { recursive: true });
const recipe = values.steps === undefined ? RECIPE : [...RECIPE.filter((a, i) => a !== '--epochs' && RECIPE[i - 1] !== '--epochs'), '--steps', values.steps];
const args = ['finetune', '--model', 'text', '--data', rel(TRAIN), '--eval-data', rel(DEV), ...recipe, '--json', '--out', rel(tuned)];
const command = `pnpm --silent twinembed ${args.join(' ')}`;
console.log(command);
const started = performance.now();
const steps: string[] = [];
if (values.from === undefined) {
  await twinembed(args, (line) => {
    steps.push(line);
    if (line.startsWith('{"evaluation"')) {
      const { step, score } = (JSON.parse(line) as { evaluation: { step: number; score: number } }).evaluation;
      console.log(`step ${step}: spearman_cosine ${score.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  });
  writeFileSync(join(values.work, 'finetune.jsonl'), `${steps.join('\n')}\n`);
}
const report = JSON.parse(readFileSync(join(tuned, 'training.json'), 'utf8')) as FinetuneReport;

mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'model.onnx'), int8ModelFromTuned(readFileSync(join(tuned, 'model.onnx'))));
for (const name of SHARED_FILES) copyFileSync(join(TEXT_DIR, name), join(values.out, name));
writeFileSync(join(values.out, 'NOTICE'), textStsNotice(command));

const textFloat32 = join(values.work, 'text-float32');
mkdirSync(textFloat32);
for (const [name, bytes] of Object.entries(textModelFiles('float32'))) writeFileSync(join(textFloat32, name), bytes);
const before = { float32: await devSpearman(rel(textFloat32)), int8: await devSpearman(rel(TEXT_DIR)) };
const after = { float32: await devSpearman(rel(tuned)), int8: await devSpearman(rel(values.out)) };

const training = {
  script: 'pnpm exec tsx --conditions=@twinembed/source scripts/train-text-sts.ts',
  command,
  data: report.datasets.map((d) => ({ path: d.data, loss: d.loss, rows: d.rows })),
  evalData: { path: rel(DEV), pairs: report.evaluation.examples, use: 'evaluation and checkpoint choice only' },
  optimizer: report.optimizer, lossOptions: report.lossOptions, batchSize: report.batchSize, epochs: report.epochs, seed: report.seed,
  steps: report.steps, bestStep: report.evaluation.best.step,
  wallSeconds: roundAll(report.seconds),
  stepsPerSecond: Number(report.stepsPerSecond.toFixed(3)),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, note: 'CPU shared with other jobs while it ran' },
  stsDevSpearmanCosine: { before, after, command: 'pnpm --silent twinembed eval sts --model DIR --data ../shared/data/sts/sts-dev.csv --json' },
  evaluations: report.evaluation.log.map(({ step, score }) => ({ step, spearman_cosine: Number(score.toFixed(5)) })),
};
writeFileSync(join(values.out, 'training.json'), `${JSON.stringify(training, null, 2)}\n`);
console.log(`STS-B dev Spearman: float32 ${before.float32.toFixed(4)} → ${after.float32.toFixed(4)}, int8 ${before.int8.toFixed(4)} → ${after.int8.toFixed(4)}; ${rel(values.out)} written`);

function roundAll(seconds: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, Number(v.toFixed(1))]));
}
