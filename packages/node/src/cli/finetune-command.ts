// `twinembed finetune`: a model directory + a JSONL file of pairs, triplets or labeled texts →
// the fine-tuned model directory. Defaults are sentence-transformers' per loss and PyTorch's per
// optimizer; inputs are checked before training, and --out is written only once training finished.
// --checkpoint-every saves the trainer's state beside --out; --resume continues such a run exactly.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import {
  buildTrainStep, crc32, createAdamW, createSgd, createTextTokenizer, createTrainer, exportEncoder, fail, lossEntry, prepareModel,
  type EmbedSpec, type ModelFiles, type NamedLossOptions, type Optimizer, type Pooling, type TrainerOptions, type TrainerProgress, type TrainStep,
} from '@twinembed/core';
import { loadModelDirectory } from '../embed/model-directory.js';
import { nodeRuntime } from '../node-runtime.js';
import { readTrainRows } from '../train/read-train-rows.js';
import { loadCheckpoint, saveCheckpoint, trainStepFingerprint, type CheckpointMeta } from '../train/checkpoint-file.js';
import { batchOrder, createTextBatches, totalSteps, type BatchOf } from '../train/text-batches.js';
import { checkOutputPath, writeModelDirectory } from '../train/write-model-directory.js';
import { nonNegative, nonNegativeInteger, positiveInteger } from './option-values.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import type { CliIo } from './main.js';
import { createProgress, progressEnabled } from './progress.js';

/** The training report written beside the model. */
export const REPORT_FILE = 'training.json';
/** The file --checkpoint-every rewrites in --checkpoint-dir. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** PyTorch's default learning rate for both torch.optim.SGD and torch.optim.AdamW. */
const DEFAULT_LR = 1e-3;

interface FinetuneOptions {
  model: string; data: string; loss: string; out: string;
  distance?: NamedLossOptions['distance']; margin?: number; scale?: number;
  optimizer: 'sgd' | 'adamw'; lr: number; weightDecay?: number; momentum?: number;
  batchSize: number; steps?: number; epochs?: number; shuffle: boolean; seed: number;
  pooling?: Pooling; json?: boolean;
  checkpointEvery?: number; checkpointDir?: string; resume?: string;
}

export function registerFinetune(program: Command, io: CliIo): void {
  program
    .command('finetune')
    .description('fine-tune a model directory as a Siamese encoder on a JSONL file, into --out')
    .addOption(modelOption({ description: 'a text model (model.onnx + tokenizer.json, optional twinembed.json)', required: true }))
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
    .option('--seed <n>', 'seed of the shuffle', nonNegativeInteger, 42)
    .addOption(new Option('--pooling <mode>', 'pooling (default: the model directory\'s)').choices(['mean', 'cls', 'max']))
    .option('--json', 'print one JSON line per step and a JSON summary')
    .option('--checkpoint-every <n>', `every n steps, save parameters and optimizer state to ${CHECKPOINT_FILE} in --checkpoint-dir`, positiveInteger)
    .option('--checkpoint-dir <dir>', 'folder for the checkpoint, created if missing (default: "<out>.checkpoints" beside --out)')
    .option('--resume <file>', 'continue from a checkpoint of the same run (model, data, loss, optimizer, batch size, shuffle, seed)')
    .requiredOption('--out <dir>', 'folder for the fine-tuned model (replaced only when training finished)')
    .addHelpText('after', MODEL_RULE)
    .action((options: FinetuneOptions) => finetune(resolveModelOption(options), io));
}

async function finetune(o: FinetuneOptions, io: CliIo): Promise<void> {
  const started = performance.now();
  if ((o.steps === undefined) === (o.epochs === undefined)) fail('cli', `finetune: expected exactly one of --steps N or --epochs E, got ${o.steps === undefined ? 'neither' : 'both'}`);
  if (o.momentum !== undefined && o.optimizer !== 'sgd') fail('cli', `finetune: --momentum is an SGD option, got --optimizer ${o.optimizer}`);
  if (o.checkpointDir !== undefined && o.checkpointEvery === undefined) fail('cli', 'finetune: --checkpoint-dir needs --checkpoint-every N, got none');
  const entry = lossEntry(o.loss);
  await checkOutputPath(o.out);
  const rows = await readTrainRows(o.data, entry);
  const files = await loadModelDirectory(o.model);
  const { spec, tokenizer } = textModel(files, o);
  const lossOptions: NamedLossOptions = { distance: o.distance, margin: o.margin, scale: o.scale };
  const step = buildTrainStep({ encoder: files.onnx, output: spec.output, pooling: spec.pooling, loss: o.loss, lossOptions, optimizer: optimizerOf(o) });
  const batchOf = createTextBatches({ rows, tokenizer, spec, step });
  const steps = totalSteps({ ...o, count: rows.count });
  const checkpointing = await checkpoints(o, step, spec, rows.count, steps);
  const { resume } = checkpointing;
  const built = performance.now();
  const progress = createProgress(io, 'training', steps, progressEnabled(o.json));
  const log = (p: TrainerProgress) => (o.json ? io.out(`${JSON.stringify(p)}\n`) : progress.update(p.step));
  const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: o.lr, onProgress: log, ...checkpointing });
  let losses: number[];
  try {
    losses = await trainer.train(batchesAfter(batchOrder({ ...o, count: rows.count }), resume?.step ?? 0, batchOf));
  } finally {
    progress.done();
    await trainer.release();
  }
  const trained = performance.now();
  const onnx = exportEncoder({ encoder: files.onnx, params: trainer.checkpoint().params, discovery: step.discovery });
  const seconds = { build: (built - started) / 1000, train: (trained - built) / 1000, total: (performance.now() - started) / 1000 };
  const report = trainingReport(o, rows.count, rows.columns, losses, seconds, resume?.step);
  await writeModelDirectory(o.out, { 'model.onnx': onnx, ...tokenizerFiles(files), ...sentenceTransformersFiles(files), 'twinembed.json': manifestOf(files, spec), [REPORT_FILE]: report });
  const last = losses[losses.length - 1]!;
  const from = resume ? ` from step ${resume.step}` : '';
  io.out(o.json
    ? `${JSON.stringify({ out: o.out, steps: losses.length, ...(resume ? { resumedFrom: resume.step } : {}), loss: last, seconds: Number(seconds.total.toFixed(3)) })}\n`
    : `fine-tuned ${losses.length} steps${from} (loss ${losses[0]!.toPrecision(4)} → ${last.toPrecision(4)}) in ${seconds.total.toFixed(1)} s: ${o.out}\n`);
}

/** The batches of steps after `done`: the order is replayed from the start, so shuffles continue where they were. */
function* batchesAfter(order: Iterable<number[]>, done: number, batchOf: BatchOf) {
  let taken = 0;
  for (const indices of order) if (taken++ >= done) yield batchOf(indices);
}

/** --resume's checkpoint (checked against this run) and the --checkpoint-every writer, both ready before training. */
async function checkpoints(o: FinetuneOptions, step: TrainStep, spec: EmbedSpec, rows: number, steps: number): Promise<Pick<TrainerOptions, 'resume' | 'checkpointEvery' | 'onCheckpoint'>> {
  if (o.checkpointEvery === undefined && o.resume === undefined) return {};
  const meta = runMeta(o, step, spec, rows);
  const resume = o.resume === undefined ? undefined : (await loadCheckpoint(o.resume, { expect: meta })).checkpoint;
  if (resume && resume.step >= steps) fail('cli', `finetune: --resume "${o.resume}" is at step ${resume.step}, expected fewer than the run's ${steps} steps`);
  if (o.checkpointEvery === undefined) return { resume };
  const path = await checkpointFile(o);
  return { resume, checkpointEvery: o.checkpointEvery, onCheckpoint: (c) => saveCheckpoint(path, c, meta) };
}

/** What a checkpoint must share with the run that resumes it; --lr, --weight-decay and the step count may change. */
function runMeta(o: FinetuneOptions, step: TrainStep, spec: EmbedSpec, rows: number): CheckpointMeta {
  let model = 0;
  for (const p of step.params) {
    const data = step.initialParams[p.name]!.data as Float32Array;
    model = crc32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), model);
  }
  return {
    trainStep: trainStepFingerprint(step), model: model.toString(16).padStart(8, '0'), loss: o.loss,
    lossOptions: JSON.stringify({ distance: o.distance, margin: o.margin, scale: o.scale }), optimizer: o.optimizer,
    pooling: spec.pooling, rows: String(rows), batchSize: String(o.batchSize), shuffle: String(o.shuffle), seed: String(o.seed),
  };
}

/** --checkpoint-dir (default `<out>.checkpoints`: --out itself is replaced whole at the end), created before training. */
async function checkpointFile(o: FinetuneOptions): Promise<string> {
  const dir = o.checkpointDir ?? `${o.out.replace(/[\\/]+$/, '')}.checkpoints`;
  await mkdir(dir, { recursive: true }).catch((cause: Error) => fail('io', `cannot create the checkpoint folder "${dir}": ${cause.message}`, cause));
  return join(dir, CHECKPOINT_FILE);
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

/** sentence-transformers' configs that still hold for the tuned model: prompts, the Pooling config (include_prompt), max_seq_length. */
function sentenceTransformersFiles(files: ModelFiles): Record<string, object> {
  const st = files.sentenceTransformers ?? {};
  const entries: [string, unknown][] = [['config_sentence_transformers.json', st.config], ['1_Pooling_config.json', st.pooling], ['sentence_bert_config.json', st.sentenceBert]];
  return Object.fromEntries(entries.filter((e): e is [string, object] => typeof e[1] === 'object' && e[1] !== null));
}

/** The source manifest with the files now at the top level, and the pooling trained with stated. */
function manifestOf(files: ModelFiles, spec: EmbedSpec): object {
  const { model: _model, tokenizer: _tokenizer, ...rest } = files.manifest ?? {};
  return { ...rest, output: spec.output, pooling: spec.pooling, normalize: spec.normalize };
}

/** `steps` and `losses` are this invocation's; a resumed run names its checkpoint and the step it started from. */
function trainingReport(o: FinetuneOptions, rows: number, columns: readonly string[], losses: number[], seconds: Record<string, number>, resumedStep?: number): object {
  const optimizer = { name: o.optimizer, lr: o.lr, weightDecay: o.weightDecay ?? (o.optimizer === 'sgd' ? 0 : 0.01), ...(o.optimizer === 'sgd' ? { momentum: o.momentum ?? 0 } : {}) };
  return {
    model: o.model, data: o.data, rows, columns, loss: o.loss, lossOptions: { distance: o.distance, margin: o.margin, scale: o.scale },
    optimizer, batchSize: o.batchSize, steps: losses.length, epochs: o.epochs, shuffle: o.shuffle, seed: o.seed,
    losses, seconds, stepsPerSecond: losses.length / seconds.train!,
    ...(resumedStep === undefined ? {} : { resumed: { checkpoint: o.resume, step: resumedStep } }),
  };
}
