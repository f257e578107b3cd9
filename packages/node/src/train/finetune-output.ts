// What `twinembed finetune` writes beside the tuned model.onnx: the tokenizer and sentence-transformers
// configs that still hold, the manifest with the pooling trained with, and the training report (data
// sets, settings, losses, timings, and the evaluations with the step whose model was written).
import type { EmbedSpec, ModelFiles } from '@twinembed/core';
import type { EvaluationRecord } from './eval-during-training.js';
import type { TrainData } from './read-train-data.js';

export function tokenizerFiles(files: ModelFiles): Record<string, object> {
  const { json, config } = files.tokenizer!;
  return { 'tokenizer.json': json, ...(config ? { 'tokenizer_config.json': config } : {}) };
}

/** sentence-transformers' configs that still hold for the tuned model: prompts, the Pooling config (include_prompt), max_seq_length. */
export function sentenceTransformersFiles(files: ModelFiles): Record<string, object> {
  const st = files.sentenceTransformers ?? {};
  const entries: [string, unknown][] = [['config_sentence_transformers.json', st.config], ['1_Pooling_config.json', st.pooling], ['sentence_bert_config.json', st.sentenceBert]];
  return Object.fromEntries(entries.filter((e): e is [string, object] => typeof e[1] === 'object' && e[1] !== null));
}

/** The source manifest with the files now at the top level, and the pooling trained with stated. */
export function manifestOf(files: ModelFiles, spec: EmbedSpec): object {
  const { model: _model, tokenizer: _tokenizer, ...rest } = files.manifest ?? {};
  return { ...rest, output: spec.output, pooling: spec.pooling, normalize: spec.normalize };
}

export interface ReportSettings {
  model: string;
  lossOptions: object;
  optimizer: { name: string; lr: number; weightDecay?: number; momentum?: number };
  batchSize: number;
  epochs?: number;
  shuffle: boolean;
  seed: number;
  resume?: string;
}

export interface ReportDataset { data: string; loss: string; rows: TrainData }

export interface ReportEvaluation {
  data: string;
  format: string;
  examples: number;
  primaryMetric: string;
  every?: number;
  patience?: number;
  /** Before this run's first step. */
  baseline: EvaluationRecord;
  log: EvaluationRecord[];
  /** The step whose parameters --out holds. */
  best: { step: number; score: number } | undefined;
  stoppedEarly: boolean;
}

export interface ReportRun {
  losses: number[];
  seconds: Record<string, number>;
  resumedStep?: number;
  evaluation?: ReportEvaluation;
}

/**
 * `steps` and `losses` are this invocation's; a resumed run names its checkpoint and the step it
 * started from. One data set keeps the top-level data, rows, columns and loss of earlier reports.
 */
export function trainingReport(s: ReportSettings, datasets: readonly ReportDataset[], run: ReportRun): object {
  const { name } = s.optimizer;
  const optimizer = { name, lr: s.optimizer.lr, weightDecay: s.optimizer.weightDecay ?? (name === 'sgd' ? 0 : 0.01), ...(name === 'sgd' ? { momentum: s.optimizer.momentum ?? 0 } : {}) };
  const single = datasets.length === 1 ? { data: datasets[0]!.data, rows: datasets[0]!.rows.count, columns: datasets[0]!.rows.columns, loss: datasets[0]!.loss } : {};
  return {
    model: s.model, ...single,
    datasets: datasets.map((d) => ({ data: d.data, format: d.rows.format, loss: d.loss, rows: d.rows.count, columns: d.rows.columns })),
    lossOptions: s.lossOptions, optimizer, batchSize: s.batchSize, steps: run.losses.length, epochs: s.epochs, shuffle: s.shuffle, seed: s.seed,
    losses: run.losses, seconds: run.seconds, stepsPerSecond: run.losses.length / run.seconds.train!,
    ...(run.resumedStep === undefined ? {} : { resumed: { checkpoint: s.resume, step: run.resumedStep } }),
    ...(run.evaluation ? { evaluation: run.evaluation } : {}),
  };
}

/** The command's last line: JSON with `json`, else one sentence. */
export function summaryLine(o: { out: string; json?: boolean }, run: ReportRun & { seconds: { total: number } }): string {
  const { losses, resumedStep: resumed, evaluation } = run;
  const last = losses[losses.length - 1]!;
  const best = evaluation?.best;
  if (o.json) {
    const evaluated = evaluation ? { bestStep: best?.step, [evaluation.primaryMetric]: { before: evaluation.baseline.score, best: best?.score }, stoppedEarly: evaluation.stoppedEarly } : {};
    return `${JSON.stringify({ out: o.out, steps: losses.length, ...(resumed === undefined ? {} : { resumedFrom: resumed }), loss: last, seconds: Number(run.seconds.total.toFixed(3)), ...evaluated })}\n`;
  }
  const from = resumed === undefined ? '' : ` from step ${resumed}`;
  const scored = evaluation ? `; ${evaluation.primaryMetric} ${evaluation.baseline.score.toFixed(4)} → ${best ? `${best.score.toFixed(4)} (best, at step ${best.step}, written)` : 'never a number'}` : '';
  return `fine-tuned ${losses.length} steps${from} (loss ${losses[0]!.toPrecision(4)} → ${last.toPrecision(4)}) in ${run.seconds.total.toFixed(1)} s${scored}: ${o.out}\n`;
}
