// Runs train steps on any Runtime: one session for the whole run, parameters and optimizer state
// fed each step and replaced by the step's outputs. Progress goes to a callback (the library
// never prints); a NaN/Inf loss stops training with the last good state kept as the checkpoint.
// One step graph is the case of createMultiTaskTrainer with one task.
import type { Runtime, SessionOptions, Tensor } from '../runtime/runtime.js';
import type { TrainStep } from './build-train-step.js';
import { createMultiTaskTrainer, type TaskBatch } from './multi-task-trainer.js';

/** Feeds by train-step input name: `${role}.${encoderInput}` and `labels`. */
export type TrainBatch = Readonly<Record<string, Tensor>>;

/** Everything needed to resume: parameters, optimizer state (by graph input name) and the steps taken. */
export interface TrainerCheckpoint {
  readonly step: number;
  readonly params: Readonly<Record<string, Tensor>>;
  readonly state: Readonly<Record<string, Tensor>>;
}

/** `task`: which train step ran, when there are several (createMultiTaskTrainer). */
export interface TrainerProgress { step: number; loss: number; stepsPerSecond: number; lr: number; task?: number }

export interface TrainerOptions {
  runtime: Runtime;
  step: TrainStep;
  /** Learning rate, or a schedule of the 1-based step. */
  lr: number | ((step: number) => number);
  /** Start from here instead of the step's initial parameters and zero state. */
  resume?: TrainerCheckpoint;
  sessionOptions?: SessionOptions;
  onProgress?: (progress: TrainerProgress) => void;
  /** Called with a checkpoint every `checkpointEvery` steps (default: never). */
  onCheckpoint?: (checkpoint: TrainerCheckpoint) => void | Promise<void>;
  checkpointEvery?: number;
}

/** A trainer over batches of type B: TrainBatch for one train step, TaskBatch for several. */
export interface Trainer<B = TrainBatch> {
  /** One optimizer step on `batch`; returns its loss (before the update). */
  step(batch: B): Promise<number>;
  /** Steps over `batches` (at most `steps` of them); returns the losses. */
  train(batches: Iterable<B> | AsyncIterable<B>, options?: { steps?: number }): Promise<number[]>;
  /** Mean loss over `batches` at the current parameters; changes nothing. */
  evaluate(batches: Iterable<B>): Promise<number>;
  /** The current (last good) state. */
  checkpoint(): TrainerCheckpoint;
  release(): Promise<void>;
}

export async function createTrainer(options: TrainerOptions): Promise<Trainer> {
  const { step, ...rest } = options;
  const tasks = await createMultiTaskTrainer({ ...rest, steps: [step] });
  const task = (feeds: TrainBatch): TaskBatch => ({ task: 0, feeds });
  return {
    step: (batch) => tasks.step(task(batch)),
    train: (batches, o) => tasks.train(mapBatches(batches, task), o),
    evaluate: (batches) => tasks.evaluate(Array.from(batches, task)),
    checkpoint: () => tasks.checkpoint(),
    release: () => tasks.release(),
  };
}

/** The batches as the multi-task trainer takes them, pulled one at a time (a stateful sampler loses none). */
async function* mapBatches<T, U>(batches: Iterable<T> | AsyncIterable<T>, f: (batch: T) => U): AsyncGenerator<U> {
  for await (const batch of batches) yield f(batch);
}
