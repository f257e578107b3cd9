// Runs train steps on any Runtime: one session for the whole run, parameters and optimizer state
// fed each step and replaced by the step's outputs. Progress goes to a callback (the library
// never prints); a NaN/Inf loss stops training with the last good state kept as the checkpoint.
import { fail } from '../errors.js';
import { createTensor, type Runtime, type Session, type SessionOptions, type Tensor } from '../runtime/runtime.js';
import { elementCount } from '../onnx/tensor-proto.js';
import type { TrainStep } from './build-train-step.js';

/** Feeds by train-step input name: `${role}.${encoderInput}` and `labels`. */
export type TrainBatch = Readonly<Record<string, Tensor>>;

/** Everything needed to resume: parameters, optimizer state (by graph input name) and the steps taken. */
export interface TrainerCheckpoint {
  readonly step: number;
  readonly params: Readonly<Record<string, Tensor>>;
  readonly state: Readonly<Record<string, Tensor>>;
}

export interface TrainerProgress { step: number; loss: number; stepsPerSecond: number; lr: number }

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

export interface Trainer {
  /** One optimizer step on `batch`; returns its loss (before the update). */
  step(batch: TrainBatch): Promise<number>;
  /** Steps over `batches` (at most `steps` of them); returns the losses. */
  train(batches: Iterable<TrainBatch> | AsyncIterable<TrainBatch>, options?: { steps?: number }): Promise<number[]>;
  /** Mean loss over `batches` at the current parameters; changes nothing. */
  evaluate(batches: Iterable<TrainBatch>): Promise<number>;
  /** The current (last good) state. */
  checkpoint(): TrainerCheckpoint;
  release(): Promise<void>;
}

export async function createTrainer(options: TrainerOptions): Promise<Trainer> {
  const { step: trainStep, runtime } = options;
  const lrAt = typeof options.lr === 'number' ? () => options.lr as number : options.lr;
  let current: TrainerCheckpoint = options.resume ?? initialCheckpoint(trainStep);
  checkResume(trainStep, current);
  const session: Session = await runtime.createSession(trainStep.model, options.sessionOptions);
  const outputs = ['loss', ...trainStep.io.params.flatMap((p) => [p.output, ...p.state.map((s) => s.output)])];
  const feedsFor = (batch: TrainBatch, n: number) => ({ ...batch, ...current.params, ...current.state, ...scalarFeeds(trainStep, n, lrAt(n)) });
  const clock = { started: performance.now(), steps: 0 };

  const runStep = async (batch: TrainBatch): Promise<number> => {
    const n = current.step + 1;
    const result = await session.run(feedsFor(batch, n), { outputs });
    const loss = Number(result.loss!.data[0]);
    if (!Number.isFinite(loss)) fail('train', `step ${n}: expected a finite loss, got ${loss}; training stopped, the last good checkpoint (step ${current.step}) is kept`);
    current = nextCheckpoint(trainStep, n, result);
    clock.steps++;
    options.onProgress?.({ step: n, loss, lr: lrAt(n), stepsPerSecond: (clock.steps * 1000) / (performance.now() - clock.started) });
    if (options.checkpointEvery && n % options.checkpointEvery === 0) await options.onCheckpoint?.(current);
    return loss;
  };

  return {
    step: runStep,
    async train(batches, { steps = Infinity } = {}) {
      Object.assign(clock, { started: performance.now(), steps: 0 });
      const losses: number[] = [];
      // Pull a batch only for a step that will run: samplers are stateful and must not lose one.
      const source = Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
      while (losses.length < steps) {
        const next = await source.next();
        if (next.done) break;
        losses.push(await runStep(next.value));
      }
      return losses;
    },
    async evaluate(batches) {
      const losses: number[] = [];
      for (const batch of batches) losses.push(Number((await session.run(feedsFor(batch, current.step + 1), { outputs: ['loss'] })).loss!.data[0]));
      if (losses.length === 0) fail('train', 'evaluate: expected at least one validation batch, got none');
      return losses.reduce((a, b) => a + b) / losses.length;
    },
    checkpoint: () => current,
    release: () => session.release(),
  };
}

/** The optimizer's float64 scalars for step `n`, as float32 graph inputs. */
function scalarFeeds(step: TrainStep, n: number, lr: number): Record<string, Tensor> {
  const scalars = step.optimizer.scalars(n, lr);
  return Object.fromEntries(Object.entries(step.io.scalars).map(([key, input]) => [input, createTensor('float32', Float32Array.of(scalars[key]!), [])]));
}

function initialCheckpoint(step: TrainStep): TrainerCheckpoint {
  const state: Record<string, Tensor> = {};
  for (const p of step.io.params) {
    const { dims } = step.params.find((q) => q.name === p.name)!;
    for (const s of p.state) state[s.input] = createTensor('float32', new Float32Array(elementCount(dims)), dims);
  }
  return { step: 0, params: step.initialParams, state };
}

function nextCheckpoint(step: TrainStep, stepNumber: number, result: Record<string, Tensor>): TrainerCheckpoint {
  const params: Record<string, Tensor> = {};
  const state: Record<string, Tensor> = {};
  for (const p of step.io.params) {
    params[p.name] = result[p.output]!;
    for (const s of p.state) state[s.input] = result[s.output]!;
  }
  return { step: stepNumber, params, state };
}

function checkResume(step: TrainStep, checkpoint: TrainerCheckpoint): void {
  const missing = step.io.params.flatMap((p) => [p.name, ...p.state.map((s) => s.input)]).filter((n) => !(n in checkpoint.params) && !(n in checkpoint.state));
  if (missing.length > 0) fail('train', `resume: the checkpoint lacks ${missing.length} tensor(s) this train step needs: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  if (!Number.isInteger(checkpoint.step) || checkpoint.step < 0) fail('train', `resume: expected a step count ≥ 0, got ${checkpoint.step}`);
}
