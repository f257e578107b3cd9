// `twinembed finetune`: a model directory + JSONL (or STS-B / SICK / MRPC) files of pairs, triplets or
// labeled texts → the fine-tuned model directory. Defaults are sentence-transformers' per loss and
// PyTorch's per optimizer; inputs are checked before training, and --out is written only once training
// finished. Several --data files train round-robin, each with its loss; --eval-data keeps the best
// evaluated step; --checkpoint-every saves the trainer's state beside --out; --resume continues a run.
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import {
  buildTrainStep, createAdamW, createMultiTaskTrainer, createSgd, createTextTokenizer, exportEncoder, fail, fit, lossEntry, prepareModel,
  type FitResult, type ModelFiles, type NamedLossOptions, type Optimizer, type Pooling, type TaskBatch, type TrainerProgress,
} from '@twinembed/core';
import { loadModelDirectory } from '../embed/model-directory.js';
import { nodeRuntime } from '../node-runtime.js';
import { evaluationRecord, stsEvaluator, textValidation, timedValidation, validationRecord, type EvaluationRecord } from '../train/eval-during-training.js';
import { CHECKPOINT_FILE, checkpointDir, failedRunError, finetuneCheckpoints } from '../train/finetune-checkpoints.js';
import { manifestOf, sentenceTransformersFiles, summaryLine, tokenizerFiles, trainingReport, type ReportDataset, type ReportEvaluation } from '../train/finetune-output.js';
import { lossTasks, pairDatasets, roundRobinBatches, roundRobinSteps, type DatasetSpec } from '../train/multi-dataset.js';
import { readTrainData } from '../train/read-train-data.js';
import { createTextBatches } from '../train/text-batches.js';
import { modelInputs } from '../model-inputs.js';
import { writeOutputDirectory } from '../output-directory.js';
import { checkOutput, type CheckOutputOptions } from '../output-path.js';
import { nonNegative, nonNegativeInteger, positiveInteger } from './option-values.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import type { CliIo } from './main.js';
import { createProgress, progressEnabled } from './progress.js';
import { FOLDER_OUTPUT_RULE, overwriteOption } from './output-options.js';

export { CHECKPOINT_FILE };

/** The training report written beside the model. */
export const REPORT_FILE = 'training.json';
/** PyTorch's default learning rate for both torch.optim.SGD and torch.optim.AdamW. */
const DEFAULT_LR = 1e-3;

interface FinetuneOptions {
  model: string; data: string[]; loss: string[]; out: string;
  distance?: NamedLossOptions['distance']; margin?: number; scale?: number;
  optimizer: 'sgd' | 'adamw'; lr: number; weightDecay?: number; momentum?: number;
  batchSize: number; steps?: number; epochs?: number; shuffle: boolean; seed: number;
  pooling?: Pooling; json?: boolean;
  evalData?: string; evalEvery?: number; patience?: number;
  checkpointEvery?: number; checkpointDir?: string; resume?: string; overwrite?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

const MULTI_DATASET = `
Several data sets: repeat --data, with one --loss for all or one --loss per --data in the same order
(--data sts.csv --loss CoSENTLoss --data pairs.jsonl --loss MultipleNegativesRankingLoss). Batches
take turns, one per data set, as sentence-transformers' round-robin sampler; an epoch ends when one
data set has no batch left. Data sets of the same loss share its train step; all share the weights.
Besides JSONL, --data takes STS-B .csv/.tsv and SICK .txt files (scores scaled to [0, 1]: STS-B s/5,
SICK (s - 1)/4) and MRPC .txt files (0/1 labels) for a pair loss.

Evaluation: with --eval-data, every --eval-every steps (and after the last) the current weights are
embedded and scored as \`twinembed eval sts\` does; --out gets the weights of the best spearman_cosine
(sentence-transformers' load_best_model_at_end), not the last. --patience stops after that many
evaluations without a new best. A resumed run chooses among its own evaluations.
`;

export function registerFinetune(program: Command, io: CliIo): void {
  program
    .command('finetune')
    .description('fine-tune a model directory as a Siamese encoder on one or more data files, into --out')
    .addOption(modelOption({ description: 'a text model (model.onnx + tokenizer.json, optional twinembed.json)', required: true }))
    .requiredOption('--data <file>', 'JSONL rows with the loss\'s sentence-transformers columns, or STS-B/SICK/MRPC pairs (repeatable)', collect)
    .requiredOption('--loss <name>', 'a sentence-transformers loss class name (e.g. CoSENTLoss, TripletLoss); once, or once per --data', collect)
    .addOption(new Option('--distance <d>', 'distance of the loss (default: the loss\'s own)').choices(['cosine', 'euclidean', 'manhattan']))
    .option('--margin <m>', 'margin of the loss (default: the loss\'s own)', nonNegative)
    .option('--scale <s>', 'scale of MultipleNegativesRankingLoss, CoSENTLoss, AnglELoss (default 20)', nonNegative)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['sgd', 'adamw']).makeOptionMandatory())
    .option('--lr <x>', 'learning rate', nonNegative, DEFAULT_LR)
    .option('--weight-decay <w>', 'weight decay (default: SGD 0, AdamW 0.01)', nonNegative)
    .option('--momentum <m>', 'SGD momentum (default 0)', nonNegative)
    .option('--batch-size <n>', 'rows per step', positiveInteger, 8)
    .option('--steps <n>', 'optimizer steps (or --epochs)', positiveInteger)
    .option('--epochs <n>', 'passes over the data (or --steps); with several data sets, round-robin epochs', positiveInteger)
    .option('--no-shuffle', 'keep the file\'s row order')
    .option('--seed <n>', 'seed of the shuffle', nonNegativeInteger, 42)
    .addOption(new Option('--pooling <mode>', 'pooling (default: the model directory\'s)').choices(['mean', 'cls', 'max']))
    .option('--eval-data <file>', 'sentence pairs with gold scores to evaluate on (STS-B .csv/.tsv, SICK .txt, JSONL {"sentence1", "sentence2", "score"})')
    .option('--eval-every <n>', 'steps between evaluations (default: steps / 20)', positiveInteger)
    .option('--patience <n>', 'stop after n evaluations without a new best', positiveInteger)
    .option('--json', 'print one JSON line per step, one {"evaluation": …} line per evaluation, and a JSON summary')
    .option('--checkpoint-every <n>', `every n steps, save parameters and optimizer state to ${CHECKPOINT_FILE} in --checkpoint-dir`, positiveInteger)
    .option('--checkpoint-dir <dir>', 'folder for the checkpoint, created if missing (default: "<out>.checkpoints" beside --out)')
    .option('--resume <file>', 'continue from a checkpoint of the same run (model, data, loss, optimizer, batch size, shuffle, seed)')
    .requiredOption('--out <dir>', 'folder for the fine-tuned model (replaced only when training finished)')
    .addOption(overwriteOption())
    .addHelpText('after', MULTI_DATASET + FOLDER_OUTPUT_RULE + MODEL_RULE)
    .action((options: FinetuneOptions) => finetune(resolveModelOption(options), io));
}

function checkOptions(o: FinetuneOptions): DatasetSpec[] {
  if ((o.steps === undefined) === (o.epochs === undefined)) fail('cli', `finetune: expected exactly one of --steps N or --epochs E, got ${o.steps === undefined ? 'neither' : 'both'}`);
  if (o.momentum !== undefined && o.optimizer !== 'sgd') fail('cli', `finetune: --momentum is an SGD option, got --optimizer ${o.optimizer}`);
  if (o.checkpointDir !== undefined && o.checkpointEvery === undefined) fail('cli', 'finetune: --checkpoint-dir needs --checkpoint-every N, got none');
  for (const flag of ['evalEvery', 'patience'] as const) {
    if (o[flag] !== undefined && o.evalData === undefined) fail('cli', `finetune: --${flag === 'evalEvery' ? 'eval-every' : 'patience'} needs --eval-data FILE, got none`);
  }
  const datasets = pairDatasets(o.data, o.loss);
  for (const d of datasets) lossEntry(d.loss);
  return datasets;
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** Everything checked and built before the first step: data, evaluator, model, train steps, batch order, checkpoints. */
async function prepare(o: FinetuneOptions, specs: DatasetSpec[]) {
  const output = await checkOutputs(o);
  const datasets: ReportDataset[] = [];
  for (const d of specs) datasets.push({ data: d.path, loss: d.loss, rows: await readTrainData(d.path, lossEntry(d.loss)) });
  const evaluation = o.evalData === undefined ? undefined : { path: o.evalData, ...(await stsEvaluator(o.evalData)) };
  const files = await loadModelDirectory(o.model);
  const { spec, tokenizer } = textModel(files, o);
  const lossOptions: NamedLossOptions = { distance: o.distance, margin: o.margin, scale: o.scale };
  const { losses, taskOf } = lossTasks(specs);
  const steps = losses.map((loss) => buildTrainStep({ encoder: files.onnx, output: spec.output, pooling: spec.pooling, loss, lossOptions, optimizer: optimizerOf(o) }));
  const batchOf = datasets.map((d, i) => createTextBatches({ rows: d.rows, tokenizer, spec, step: steps[taskOf[i]!]! }));
  const order = { counts: datasets.map((d) => d.rows.count), batchSize: o.batchSize, steps: o.steps, epochs: o.epochs, shuffle: o.shuffle, seed: o.seed };
  const total = roundRobinSteps(order);
  const checkpointing = await finetuneCheckpoints(o, { steps, spec, losses: specs.map((d) => d.loss), rows: order.counts, total });
  const batches = batchesAfter(roundRobinBatches(order), checkpointing.resume?.step ?? 0, (b) => ({ task: taskOf[b.dataset]!, feeds: batchOf[b.dataset]!(b.indices) }));
  const runtime = nodeRuntime();
  const timed = { seconds: 0 };
  const validate = evaluation && timedValidation(textValidation({ runtime, files, discovery: steps[0]!.discovery, pooling: spec.pooling, evaluator: evaluation.evaluator }), timed);
  return { output, datasets, evaluation, files, spec, lossOptions, steps, total, checkpointing, batches, runtime, validate, timed };
}

/** --out (never an input, nor holding the checkpoints) and the checkpoint file (never an input but --resume), checked before any work. */
async function checkOutputs(o: FinetuneOptions): Promise<CheckOutputOptions> {
  const checkpoint = o.checkpointEvery === undefined ? undefined : join(checkpointDir(o), CHECKPOINT_FILE);
  const inputs = { '--model': await modelInputs(o.model), '--data': o.data, '--eval-data': o.evalData };
  const output: CheckOutputOptions = {
    out: o.out, kind: 'dir', what: 'the model', inputs: { ...inputs, '--resume': o.resume }, outputs: { '--checkpoint-dir': checkpoint }, overwrite: o.overwrite,
  };
  await checkOutput(output);
  if (checkpoint !== undefined) await checkOutput({ out: checkpoint, kind: 'file', what: 'the checkpoint', inputs, createParents: true });
  return output;
}

/** The training loop: the baseline evaluation, then fit() over the round-robin batches, each evaluation logged. */
async function train(o: FinetuneOptions, p: Prepared, io: CliIo) {
  const { runtime, steps, validate, timed } = p;
  const progress = createProgress(io, 'training', p.total, progressEnabled(o.json));
  const print = (line: object) => io.out(`${JSON.stringify(line)}\n`);
  const metric = p.evaluation?.evaluator.primaryMetric;
  const say = (e: EvaluationRecord, before = false) => (o.json
    ? print({ evaluation: before ? { ...e, baseline: true } : e })
    : io.out(`${progressEnabled(o.json) ? '\r\x1b[2K' : ''}step ${e.step}${before ? ' (before training)' : ''}: ${metric} ${e.score.toFixed(4)}${e.best ? ' (best so far)' : ''}\n`));
  const done = p.checkpointing.resume?.step ?? 0;
  const started = performance.now();
  // steps/s of this run's training alone: evaluations (the baseline included) are not training time
  const rate = (s: TrainerProgress) => ({ ...s, stepsPerSecond: (s.step - done) / ((performance.now() - started) / 1000 - timed.seconds) });
  const trainer = await createMultiTaskTrainer({ runtime, steps, lr: o.lr, onProgress: (s: TrainerProgress) => (o.json ? print(rate(s)) : progress.update(s.step)), ...p.checkpointing });
  const losses: number[] = [];
  const log: EvaluationRecord[] = [];
  let baseline: EvaluationRecord | undefined;
  let result: FitResult;
  try {
    if (validate) say((baseline = validationRecord(done, await validate(trainer.checkpoint()))), true);
    result = await fit<TaskBatch>({
      trainer, batches: p.batches, steps: p.total - done, validate, validateEvery: o.evalEvery, patience: o.patience,
      onStep: (_, loss) => void losses.push(loss),
      onLog: (entry) => {
        if (entry.validation === undefined) return;
        log.push(evaluationRecord(entry));
        say(log.at(-1)!);
      },
    });
  } catch (error) {
    throw failedRunError(error, o, p.checkpointing);
  } finally {
    progress.done();
    await trainer.release();
  }
  // With an evaluation, --out gets the best evaluated step (load_best_model_at_end); without one, or when every score was NaN, the last.
  const kept = validate && result.best.score !== undefined ? result.best : { checkpoint: trainer.checkpoint(), step: trainer.checkpoint().step, score: undefined };
  return { losses, log, baseline, kept, stoppedEarly: result.stoppedEarly, evaluationSeconds: timed.seconds };
}

async function finetune(o: FinetuneOptions, io: CliIo): Promise<void> {
  const started = performance.now();
  const p = await prepare(o, checkOptions(o));
  const built = performance.now();
  const run = await train(o, p, io);
  const trained = performance.now();
  const onnx = exportEncoder({ encoder: p.files.onnx, params: run.kept.checkpoint.params, discovery: p.steps[0]!.discovery });
  const seconds = { build: (built - started) / 1000, train: (trained - built) / 1000 - run.evaluationSeconds, ...(p.evaluation ? { evaluate: run.evaluationSeconds } : {}), total: (performance.now() - started) / 1000 };
  const evaluation: ReportEvaluation | undefined = p.evaluation && {
    data: p.evaluation.path, format: p.evaluation.format, examples: p.evaluation.evaluator.examples, primaryMetric: p.evaluation.evaluator.primaryMetric,
    every: o.evalEvery, patience: o.patience, baseline: run.baseline!, log: run.log, stoppedEarly: run.stoppedEarly,
    best: run.kept.score === undefined ? undefined : { step: run.kept.step, score: run.kept.score },
  };
  const settings = { ...o, lossOptions: p.lossOptions, optimizer: { name: o.optimizer, lr: o.lr, weightDecay: o.weightDecay, momentum: o.momentum } };
  const summary = { losses: run.losses, seconds, resumedStep: p.checkpointing.resume?.step, evaluation };
  const files = p.files;
  // checked again: the folder may have changed during training
  await writeOutputDirectory({ out: (await checkOutput(p.output)).path, command: 'finetune', what: 'the model', files: {
    'model.onnx': onnx, ...tokenizerFiles(files), ...sentenceTransformersFiles(files), 'twinembed.json': manifestOf(files, p.spec), [REPORT_FILE]: trainingReport(settings, p.datasets, summary),
  } });
  io.out(summaryLine(o, summary));
}

/** The batches of steps after `done`: the order is replayed from the start, so shuffles continue where they were. */
function* batchesAfter<T, B>(order: Iterable<T>, done: number, batchOf: (item: T) => B): Generator<B> {
  let taken = 0;
  for (const item of order) if (taken++ >= done) yield batchOf(item);
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
