// Evaluation during fine-tuning, as sentence-transformers' trainer with an evaluator, eval_steps and
// load_best_model_at_end: the parameters of a checkpoint are exported as the model --out would get,
// embedded by the ordinary embedder (the directory's pooling, normalization and length limit) and
// scored by a text evaluator, whose primary metric (spearman_cosine for STS) picks the best step.
import {
  createEmbedder, exportEncoder, fail, similarityEvaluator, type FitLogEntry, type FitValidation, type ModelFiles, type Pooling, type Runtime,
  type TextEvaluator, type TrainerCheckpoint, type TrainStep,
} from '@twinembed/core';
import { readScoredPairs } from '../data/text-pairs.js';

export interface TextValidationOptions {
  runtime: Runtime;
  /** The model directory's files; its model.onnx is the encoder the train steps were built from. */
  files: ModelFiles;
  discovery: TrainStep['discovery'];
  /** The pooling trained with (the directory's, or --pooling). */
  pooling: Pooling;
  evaluator: TextEvaluator;
  /** Texts per embedding run (default 32). */
  batchSize?: number;
}

/** `validate(checkpoint)` for fit(): the evaluator's figures, scored by its primary metric. */
export function textValidation(options: TextValidationOptions): (checkpoint: TrainerCheckpoint) => Promise<FitValidation> {
  const { evaluator } = options;
  return async (checkpoint) => {
    const onnx = exportEncoder({ encoder: options.files.onnx, params: checkpoint.params, discovery: options.discovery });
    const embedder = await createEmbedder({ runtime: options.runtime, model: { ...options.files, onnx }, pooling: options.pooling, batchSize: options.batchSize });
    try {
      const metrics = await evaluator.evaluate(embedder);
      const score = metrics[evaluator.primaryMetric];
      if (score === undefined) fail('eval', `evaluation: expected the primary metric "${evaluator.primaryMetric}" among the figures, got ${Object.keys(metrics).join(', ')}`);
      return { score, metrics };
    } finally {
      await embedder.dispose();
    }
  };
}

/** --eval-data: sentence pairs with a gold score (STS-B TSV, SICK, or JSONL {"sentence1", "sentence2", "score"}) → the STS evaluator. */
export async function stsEvaluator(path: string): Promise<{ evaluator: TextEvaluator; format: string }> {
  const pairs = await readScoredPairs(path);
  return { evaluator: similarityEvaluator(pairs), format: pairs.format };
}

/** What the report and the --json lines say of one evaluation. */
export interface EvaluationRecord {
  step: number;
  /** The primary metric's value. */
  score: number;
  metrics: Readonly<Record<string, number>>;
  /** A new best (its parameters are what --out gets, if none beats it). */
  best?: boolean;
  /** Mean training loss since the previous evaluation. */
  loss?: number;
  stepsPerSecond?: number;
  elapsedSeconds?: number;
}

export function evaluationRecord(entry: FitLogEntry): EvaluationRecord {
  return {
    step: entry.step, score: entry.validation!, metrics: entry.metrics ?? {}, best: entry.best ?? false,
    loss: entry.loss, stepsPerSecond: entry.stepsPerSecond, elapsedSeconds: entry.elapsedSeconds,
  };
}

/** An evaluation outside fit() (the baseline before the first step). */
export function validationRecord(step: number, v: FitValidation): EvaluationRecord {
  return { step, score: v.score, metrics: v.metrics };
}

/** `validate`, with its wall time added to `timed.seconds` (evaluation is not training time). */
export function timedValidation(validate: (c: TrainerCheckpoint) => Promise<FitValidation>, timed: { seconds: number }): (c: TrainerCheckpoint) => Promise<FitValidation> {
  return async (checkpoint) => {
    const start = performance.now();
    try {
      return await validate(checkpoint);
    } finally {
      timed.seconds += (performance.now() - start) / 1000;
    }
  };
}
