// `twinembed finetune`: a model directory + a JSONL file of pairs, triplets or labeled texts →
// the fine-tuned model directory. Defaults are sentence-transformers' per loss and PyTorch's per
// optimizer; inputs are checked before training, and --out is written only once training finished.
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  buildTrainStep, createAdamW, createSgd, createTextTokenizer, createTrainer, exportEncoder, fail, lossEntry, prepareModel,
  type EmbedSpec, type ModelFiles, type NamedLossOptions, type Optimizer, type Pooling, type TrainerProgress,
} from '@twinembed/core';
import { loadModelDirectory } from '../embed/model-directory.js';
import { nodeRuntime } from '../node-runtime.js';
import { readTrainRows } from '../train/read-train-rows.js';
import { batchOrder, createTextBatches, totalSteps } from '../train/text-batches.js';
import { checkOutputPath, writeModelDirectory } from '../train/write-model-directory.js';
import { positiveInteger } from './index-command.js';
import type { CliIo } from './main.js';
import { createProgress, progressEnabled } from './progress.js';

/** The training report written beside the model. */
export const REPORT_FILE = 'training.json';
/** PyTorch's default learning rate for both torch.optim.SGD and torch.optim.AdamW. */
const DEFAULT_LR = 1e-3;

interface FinetuneOptions {
  model: string; data: string; loss: string; out: string;
  distance?: NamedLossOptions['distance']; margin?: number; scale?: number;
  optimizer: 'sgd' | 'adamw'; lr: number; weightDecay?: number; momentum?: number;
  batchSize: number; steps?: number; epochs?: number; shuffle: boolean; seed: number;
  pooling?: Pooling; json?: boolean;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a finite number ≥ 0, got "${value}"`);
  return n;
}

export function registerFinetune(program: Command, io: CliIo): void {
  program
    .command('finetune')
    .description('fine-tune a model directory as a Siamese encoder on a JSONL file, into --out')
    .requiredOption('--model <dir>', 'a model directory (model.onnx + tokenizer.json, optional twinembed.json)')
    .requiredOption('--data <file>', 'JSONL rows with the loss\'s sentence-transformers columns')
    .requiredOption('--loss <name>', 'a sentence-transformers loss class name (e.g. CosineSimilarityLoss, TripletLoss)')
    .addOption(new Option('--distance <d>', 'distance of the loss (default: the loss\'s own)').choices(['cosine', 'euclidean', 'manhattan']))
    .option('--margin <m>', 'margin of the loss (default: the loss\'s own)', nonNegative)
    .option('--scale <s>', 'scale of MultipleNegativesRankingLoss (default 20)', nonNegative)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['sgd', 'adamw']).makeOptionMandatory())
    .option('--lr <x>', 'learning rate', nonNegative, DEFAULT_LR)
    .option('--weight-decay <w>', 'weight decay (default: SGD 0, AdamW 0.01)', nonNegative)
    .option('--momentum <m>', 'SGD momentum (default 0)', nonNegative)
    .option('--batch-size <n>', 'rows per step', positiveInteger, 8)
    .option('--steps <n>', 'optimizer steps (or --epochs)', positiveInteger)
    .option('--epochs <n>', 'passes over the data (or --steps)', positiveInteger)
    .option('--no-shuffle', 'keep the file\'s row order')
    .option('--seed <n>', 'seed of the shuffle', (v) => (v === '0' ? 0 : positiveInteger(v)), 42)
    .addOption(new Option('--pooling <mode>', 'pooling (default: the model directory\'s)').choices(['mean', 'cls', 'max']))
    .option('--json', 'print one JSON line per step and a JSON summary')
    .requiredOption('--out <dir>', 'folder for the fine-tuned model (replaced only when training finished)')
    .action((options: FinetuneOptions) => finetune(options, io));
}

async function finetune(o: FinetuneOptions, io: CliIo): Promise<void> {
  const started = performance.now();
  if ((o.steps === undefined) === (o.epochs === undefined)) fail('cli', `finetune: expected exactly one of --steps N or --epochs E, got ${o.steps === undefined ? 'neither' : 'both'}`);
  if (o.momentum !== undefined && o.optimizer !== 'sgd') fail('cli', `finetune: --momentum is an SGD option, got --optimizer ${o.optimizer}`);
  const entry = lossEntry(o.loss);
  await checkOutputPath(o.out);
  const rows = await readTrainRows(o.data, entry);
  const files = await loadModelDirectory(o.model);
  const { spec, tokenizer } = textModel(files, o);
  const lossOptions: NamedLossOptions = { distance: o.distance, margin: o.margin, scale: o.scale };
  const step = buildTrainStep({ encoder: files.onnx, output: spec.output, pooling: spec.pooling, loss: o.loss, lossOptions, optimizer: optimizerOf(o) });
  const batchOf = createTextBatches({ rows, tokenizer, spec, step });
  const built = performance.now();
  const steps = totalSteps({ ...o, count: rows.count });
  const progress = createProgress(io, 'training', steps, progressEnabled(o.json));
  const log = (p: TrainerProgress) => (o.json ? io.out(`${JSON.stringify(p)}\n`) : progress.update(p.step));
  const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: o.lr, onProgress: log });
  let losses: number[];
  try {
    const order = batchOrder({ ...o, count: rows.count });
    losses = await trainer.train((function* () { for (const indices of order) yield batchOf(indices); })());
  } finally {
    progress.done();
    await trainer.release();
  }
  const trained = performance.now();
  const onnx = exportEncoder({ encoder: files.onnx, params: trainer.checkpoint().params, discovery: step.discovery });
  const seconds = { build: (built - started) / 1000, train: (trained - built) / 1000, total: (performance.now() - started) / 1000 };
  const report = trainingReport(o, rows.count, rows.columns, losses, seconds);
  await writeModelDirectory(o.out, { 'model.onnx': onnx, ...tokenizerFiles(files), 'twinembed.json': manifestOf(files, spec), [REPORT_FILE]: report });
  const last = losses[losses.length - 1]!;
  io.out(o.json
    ? `${JSON.stringify({ out: o.out, steps: losses.length, loss: last, seconds: Number(seconds.total.toFixed(3)) })}\n`
    : `fine-tuned ${losses.length} steps (loss ${losses[0]!.toPrecision(4)} → ${last.toPrecision(4)}) in ${seconds.total.toFixed(1)} s: ${o.out}\n`);
}

function textModel(files: ModelFiles, o: FinetuneOptions) {
  const { spec } = prepareModel(files, { pooling: o.pooling });
  if (spec.modality !== 'text') fail('cli', `finetune: expected a text model, got an image model in "${o.model}"`);
  if (!files.tokenizer) fail('cli', `finetune: expected tokenizer.json in the model directory "${o.model}", got none`);
  return { spec, tokenizer: createTextTokenizer({ ...files.tokenizer, maxLength: spec.maxLength }) };
}

function optimizerOf(o: FinetuneOptions): Optimizer {
  return o.optimizer === 'sgd' ? createSgd({ momentum: o.momentum, weightDecay: o.weightDecay }) : createAdamW({ weightDecay: o.weightDecay });
}

function tokenizerFiles(files: ModelFiles): Record<string, object> {
  const { json, config } = files.tokenizer!;
  return { 'tokenizer.json': json, ...(config ? { 'tokenizer_config.json': config } : {}) };
}

/** The source manifest with the files now at the top level, and the pooling trained with stated. */
function manifestOf(files: ModelFiles, spec: EmbedSpec): object {
  const { model: _model, tokenizer: _tokenizer, ...rest } = files.manifest ?? {};
  return { ...rest, output: spec.output, pooling: spec.pooling, normalize: spec.normalize };
}

function trainingReport(o: FinetuneOptions, rows: number, columns: readonly string[], losses: number[], seconds: Record<string, number>): object {
  const optimizer = { name: o.optimizer, lr: o.lr, weightDecay: o.weightDecay ?? (o.optimizer === 'sgd' ? 0 : 0.01), ...(o.optimizer === 'sgd' ? { momentum: o.momentum ?? 0 } : {}) };
  return {
    model: o.model, data: o.data, rows, columns, loss: o.loss, lossOptions: { distance: o.distance, margin: o.margin, scale: o.scale },
    optimizer, batchSize: o.batchSize, steps: losses.length, epochs: o.epochs, shuffle: o.shuffle, seed: o.seed,
    losses, seconds, stepsPerSecond: losses.length / seconds.train!,
  };
}
