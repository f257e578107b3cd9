// `twinembed train`: an image-folder data set → an encoder trained from scratch as a Siamese twin
// (Koch's convnet or the 4-block conv encoder), with on-the-fly augmentation, one-shot validation
// on held-out classes, best-checkpoint keeping and early stopping. --out receives the model
// directory (model.onnx + twinembed.json, loadable by `embed` and `eval`), the best checkpoint,
// the log (JSONL), the report and a plot, all at once when training ends.
import { type Command, Option } from 'commander';
import {
  buildEncoder, buildTrainStep, exportPairHead, createAdamW, createAugmenter, createLrSchedule, createSgd, createTrainer, encodeModel, ENCODERS,
  EVAL_METRICS, exportEncoder, fail, fit, imageBatches, INKS, lossEntry, type EvalMetric, type Ink, type FitLogEntry, type NamedLossOptions, type Optimizer,
} from '@twinembed/core';
import { nodeRuntime } from '../node-runtime.js';
import { encodeCheckpoint } from '../train/checkpoint-file.js';
import { embedAll, oneShotValidation } from '../train/one-shot-validation.js';
import { trainingPlotSvg } from '../train/training-plot.js';
import { inkOf, loadTrainData, ownClasses, rotatedClasses } from '../train/train-data.js';
import type { SplitImages } from '../train/validation-split.js';
import { checkOutput, type CheckOutputOptions } from '../output-path.js';
import { writeOutputDirectory } from '../output-directory.js';
import { HEAD_FILE } from './eval-command.js';
import { commaList, nonNegative, nonNegativeInteger, positiveInteger } from './option-values.js';
import type { CliIo } from './main.js';
import { createProgress, progressEnabled } from './progress.js';
import { FOLDER_OUTPUT_RULE, overwriteOption } from './output-options.js';

export interface TrainOptions {
  data: string; out: string; encoder: string; loss: string; size: number; channels?: number;
  distance?: NamedLossOptions['distance']; margin?: number; scale?: number;
  optimizer: 'adamw' | 'sgd'; lr: number; weightDecay?: number; schedule: 'constant' | 'linear' | 'cosine'; warmup: number;
  batchSize: number; ways: number; mPerClass: number; withinAlphabet: boolean; valWithinAlphabet: boolean; augment: boolean; rotations: boolean; selfSupervised: boolean; sizeMismatch: 'resize' | 'refuse';
  steps?: number; epochs?: number;
  valGroups?: number; valGroupNames?: string[]; valClasses?: number; valDir?: string;
  valWays: number; valShots: number; valEpisodes: number; validateEvery?: number; patience?: number; metric?: EvalMetric;
  ink?: Ink; seed: number; quick: boolean; json?: boolean; overwrite?: boolean;
}

/** --quick: a run of a few minutes on two cores, for trying the pipeline and for tests. */
const QUICK = { steps: 60, validateEvery: 20, valEpisodes: 50, channels: 16 } as const;
const INPUT = 'pixels';
const OUTPUT = 'embedding';

export function registerTrain(program: Command, io: CliIo): void {
  program
    .command('train')
    .description('train an image encoder from scratch as a Siamese twin on an image folder (one folder per class), into --out')
    .requiredOption('--data <dir>', 'image folder: <class>/<image> or <group>/<class>/<image> (e.g. alphabet/character/01.png)')
    .requiredOption('--out <dir>', 'folder for the trained model directory (replaced only when training finished)')
    .addOption(new Option('--encoder <name>', 'encoder architecture').choices(ENCODERS).default('conv4'))
    .option('--loss <name>', 'KochBCE, ContrastiveLoss, TripletLoss, BatchHardTripletLoss, MultipleNegativesRankingLoss, … (any sentence-transformers loss name)', 'MultipleNegativesRankingLoss')
    .option('--size <px>', 'square input size the images are resized to', positiveInteger, 28)
    .option('--channels <n>', 'channels per conv4 block (default 64; --quick 16)', positiveInteger)
    .addOption(new Option('--distance <d>', 'distance of the loss (default: the loss\'s own)').choices(['cosine', 'euclidean', 'manhattan']))
    .option('--margin <m>', 'margin of the loss (default: the loss\'s own)', nonNegative)
    .option('--scale <s>', 'scale of MultipleNegativesRankingLoss (default 20)', nonNegative)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['adamw', 'sgd']).default('adamw'))
    .option('--lr <x>', 'peak learning rate', nonNegative, 1e-3)
    .option('--weight-decay <w>', 'weight decay (default: AdamW 0.01, SGD 0)', nonNegative)
    .addOption(new Option('--schedule <kind>', 'learning-rate schedule').choices(['constant', 'linear', 'cosine']).default('cosine'))
    .option('--warmup <steps>', 'linear warm-up steps', nonNegativeInteger, 0)
    .option('--batch-size <n>', 'pairs or triplets per step (pair and triplet losses)', positiveInteger, 32)
    .option('--ways <n>', 'classes per step (batch-mining and ranking losses)', positiveInteger, 16)
    .option('--m-per-class <m>', 'examples of each class per step (batch-mining losses)', positiveInteger, 4)
    .option('--within-alphabet', 'every step and every validation episode draws its classes from one group (alphabet)', false)
    .option('--val-within-alphabet', 'every validation episode draws its classes from one group, while training batches mix groups (implied by --within-alphabet)', false)
    .option('--augment', 'random affine distortions as Koch et al. (rotation, shear, scale, translation), on the fly', false)
    .option('--rotations', 'add each training class turned by 90°, 180° and 270° as three new classes (each turned alphabet a new group), as Vinyals et al. and Snell et al.', false)
    .option('--self-supervised', 'ignore the training labels: every image is its own class and its positives are augmentations of it (needs --augment)', false)
    .addOption(new Option('--size-mismatch <what>', 'images of another size than the first: refuse, or resize all to --size').choices(['refuse', 'resize']).default('refuse'))
    .option('--steps <n>', 'optimizer steps (or --epochs)', positiveInteger)
    .option('--epochs <n>', 'passes over the training classes (or --steps)', positiveInteger)
    .option('--val-groups <n>', 'hold out n whole groups (alphabets) for validation', positiveInteger)
    .option('--val-group-names <names>', 'hold out these groups (alphabets) for validation, comma-separated folder names', commaList)
    .option('--val-classes <n>', 'hold out n classes for validation', positiveInteger)
    .option('--val-dir <dir>', 'validate on this image folder instead')
    .option('--val-ways <n>', 'classes per validation episode', positiveInteger, 20)
    .option('--val-shots <n>', 'support examples per class in validation episodes', positiveInteger, 1)
    .option('--val-episodes <n>', 'validation episodes (default 200; --quick 50)', positiveInteger)
    .option('--validate-every <n>', 'steps between validations (default: steps / 20; --quick 20)', positiveInteger)
    .option('--patience <n>', 'stop after n validations without a new best', positiveInteger)
    .addOption(new Option('--metric <m>', 'embedding distance for validation (default: cosine for cosine losses, else euclidean)').choices(EVAL_METRICS))
    .addOption(new Option('--ink <polarity>', 'strokes of the training images, written to the model\'s manifest (image.ink) so other drawings are turned to match (default: light when the images\' mean pixel is below ½, else dark)').choices(INKS))
    .option('--seed <n>', 'seed of initialization, sampling, augmentation and validation', nonNegativeInteger, 0)
    .option('--quick', `a few-minute run: ${QUICK.steps} steps, conv4 with ${QUICK.channels} channels, ${QUICK.valEpisodes} validation episodes`, false)
    .option('--json', 'print one JSON line per validation and a JSON summary')
    .addOption(overwriteOption())
    .addHelpText('after', FOLDER_OUTPUT_RULE)
    .action((options: TrainOptions) => train(options, io));
}

/** Every image is held as size × size floats: a side past this is a typo, not a dataset (105 is Omniglot's). */
const MAX_SIZE = 1024;
/** conv4 halves the side in each of its 4 blocks; koch's convolutions and poolings need 20. */
const MIN_SIZE: Record<string, number> = { conv4: 16, koch: 20 };

function checkSize(o: TrainOptions): void {
  const min = MIN_SIZE[o.encoder] ?? 1;
  if (o.size < min || o.size > MAX_SIZE) fail('cli', `train --size: expected ${min} to ${MAX_SIZE} pixels (the side images are resized to; the ${o.encoder} encoder needs at least ${min}), got ${o.size}`);
}

async function train(o: TrainOptions, io: CliIo): Promise<void> {
  const started = performance.now();
  const settings = resolve(o);
  checkSize(o);
  const output: CheckOutputOptions = { out: o.out, kind: 'dir', what: 'the model', inputs: { '--data': o.data, '--val-dir': o.valDir }, overwrite: o.overwrite };
  await checkOutput(output);
  const entry = lossEntry(o.loss);
  const { trainSet: labeled, validation, heldOut, folder } = await loadTrainData(o, (line) => io.err(`${line}\n`));
  const trainSet = o.selfSupervised ? ownClasses(labeled) : o.rotations ? rotatedClasses(labeled) : labeled;
  const runtime = nodeRuntime();
  const encoder = encodeModel(buildEncoder(o.encoder, { size: o.size, seed: o.seed, ...(settings.channels ? { channels: settings.channels } : {}) }).toModel());
  const dim = (await embedAll({ runtime, images: trainSet.images.subarray(0, o.size * o.size), shape: trainSet.shape, input: INPUT, output: OUTPUT }, encoder)).dim;
  const lossOptions: NamedLossOptions = { distance: o.distance, margin: o.margin, scale: o.scale, dim };
  const step = buildTrainStep({ encoder, output: OUTPUT, pooling: 'none', loss: o.loss, lossOptions, optimizer: optimizerOf(o) });
  const batches = imageBatches({
    step, seed: o.seed, data: { images: trainSet.images, shape: trainSet.shape, labels: trainSet.labels, groups: trainSet.classGroups },
    batchSize: o.batchSize, classesPerBatch: o.ways, m: o.mPerClass, withinGroup: o.withinAlphabet, allowReplacement: o.selfSupervised,
    ...(o.augment ? { augment: createAugmenter({ seed: o.seed }) } : {}),
  });
  if (batches.excludedClasses.length > 0) {
    io.err(`[twinembed:train] ${batches.excludedClasses.length} of ${trainSet.classes.length} training classes are never sampled (fewer than ${entry.kind === 'ranking' ? '2 images (an anchor and a positive)' : `--m-per-class ${o.mPerClass} images`}, or a group with fewer than --ways ${o.ways} classes)\n`);
  }
  const steps = settings.steps ?? Math.ceil(o.epochs! * stepsPerEpoch(entry.kind, trainSet, o));
  const schedule = createLrSchedule({ lr: o.lr, kind: o.schedule, warmupSteps: o.warmup, totalSteps: steps });
  const lrAt = (n: number) => schedule(n - 1);
  const trainer = await createTrainer({ runtime, step, lr: lrAt });
  const metric = o.metric ?? (o.distance === 'cosine' || entry.kind === 'ranking' || o.loss === 'CosineSimilarityLoss' ? 'cosine' : 'euclidean');
  const validate = oneShotValidation({
    runtime, encoder, step, input: INPUT, output: OUTPUT, images: validation.images, shape: validation.shape, labels: validation.labels,
    groups: validation.groups, ways: o.valWays, shots: o.valShots, episodes: settings.valEpisodes, withinGroup: settings.valWithinGroup, metric, seed: o.seed,
  });
  const progress = createProgress(io, 'training', steps, progressEnabled(o.json));
  const onLog = (e: FitLogEntry) => {
    if (o.json) io.out(`${JSON.stringify(e)}\n`);
  };
  let result;
  try {
    result = await fit({
      trainer, batches, steps, validate, validateEvery: settings.validateEvery ?? Math.max(1, Math.floor(steps / 20)),
      patience: o.patience, lrAt, onLog, onStep: (n) => progress.update(n),
    });
  } finally {
    progress.done();
    await trainer.release();
  }
  const best = result.best;
  const model = exportEncoder({ encoder, params: best.checkpoint.params, discovery: step.discovery });
  const seconds = (performance.now() - started) / 1000;
  const report = {
    command: `twinembed train ${commandLine(o)}`, seed: o.seed, encoder: o.encoder, channels: settings.channels, loss: o.loss, lossOptions, metric,
    data: { dir: o.data, images: folder.count, classes: folder.classes, groups: folder.groups },
    validation: { ...heldOut, ways: o.valWays, shots: o.valShots, episodes: settings.valEpisodes, withinGroup: settings.valWithinGroup, images: validation.labels.length },
    ink: o.ink ?? inkOf(labeled.images), trainClasses: trainSet.classes.length, excludedTrainClasses: batches.excludedClasses.length,
    steps: result.steps, stoppedEarly: result.stoppedEarly, bestStep: best.step, bestValidationAccuracy: best.score,
    wallSeconds: Number(seconds.toFixed(1)), finished: new Date().toISOString(),
  };
  // checked again: the folder may have changed during training
  await writeOutputDirectory({ out: (await checkOutput(output)).path, command: 'train', what: 'the model', files: {
    'model.onnx': model,
    'twinembed.json': { modality: 'image', output: OUTPUT, pooling: 'none', normalize: metric === 'cosine', image: { size: o.size, channels: 1, ink: report.ink } },
    ...(o.loss === 'KochBCE' ? { [HEAD_FILE]: exportPairHead(best.checkpoint.params) } : {}),
    'checkpoint.safetensors': encodeCheckpoint(best.checkpoint, { loss: o.loss, encoder: o.encoder }),
    'training.json': report,
    'training.jsonl': new TextEncoder().encode(result.log.map((e) => JSON.stringify(e)).join('\n') + '\n'),
    'training.svg': new TextEncoder().encode(trainingPlotSvg(result.log, `${o.encoder} · ${o.loss} · ${folder.classes} classes`)),
  } });
  const accuracy = best.score === undefined ? 'n/a' : `${(best.score * 100).toFixed(1)}%`;
  io.out(o.json
    ? `${JSON.stringify({ out: o.out, steps: result.steps, stoppedEarly: result.stoppedEarly, bestStep: best.step, bestValidationAccuracy: best.score, seconds: report.wallSeconds })}\n`
    : `trained ${result.steps} steps in ${seconds.toFixed(1)} s; best ${o.valWays}-way ${o.valShots}-shot validation accuracy ${accuracy} at step ${best.step}: ${o.out}\n`);
}

function resolve(o: TrainOptions) {
  if (o.quick && o.epochs === undefined && o.steps === undefined) o.steps = QUICK.steps;
  if ((o.steps === undefined) === (o.epochs === undefined)) fail('cli', `train: expected exactly one of --steps N or --epochs E (or --quick), got ${o.steps === undefined ? 'neither' : 'both'}`);
  const splits = [o.valGroups, o.valGroupNames, o.valClasses, o.valDir].filter((v) => v !== undefined).length;
  if (splits !== 1) fail('cli', `train: expected exactly one of --val-groups N, --val-group-names A,B, --val-classes N or --val-dir DIR, got ${splits === 0 ? 'none' : 'several'}`);
  if (o.rotations && o.selfSupervised) fail('cli', 'train: --rotations turns labeled classes, expected no --self-supervised');
  if (o.selfSupervised && !o.augment) fail('cli', 'train: --self-supervised makes positives by augmentation, expected --augment too, got none');
  if (o.selfSupervised && o.withinAlphabet) fail('cli', 'train: --self-supervised has no classes to group, expected no --within-alphabet');
  if (o.channels !== undefined && o.encoder !== 'conv4') fail('cli', `train: --channels is a conv4 option, got --encoder ${o.encoder}`);
  return {
    steps: o.steps,
    channels: o.channels ?? (o.quick && o.encoder === 'conv4' ? QUICK.channels : undefined),
    valEpisodes: o.valEpisodes ?? (o.quick ? QUICK.valEpisodes : 200),
    validateEvery: o.validateEvery ?? (o.quick ? QUICK.validateEvery : undefined),
    valWithinGroup: o.withinAlphabet || o.valWithinAlphabet,
  };
}

function stepsPerEpoch(kind: string, data: SplitImages, o: TrainOptions): number {
  const classes = data.classes.length;
  if (kind === 'labeled' || kind === 'ranking') return Math.max(1, classes / o.ways);
  return Math.max(1, data.labels.length / o.batchSize);
}

function optimizerOf(o: TrainOptions): Optimizer {
  return o.optimizer === 'sgd' ? createSgd({ weightDecay: o.weightDecay }) : createAdamW({ weightDecay: o.weightDecay });
}

/** The options as a command line, for the report (what was run, reproducibly). */
function commandLine(o: TrainOptions): string {
  const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return Object.entries(o).filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? flag(k) : `${flag(k)} ${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`)).join(' ');
}
