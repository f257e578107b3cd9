// Several train steps over one set of parameters: a multi-dataset run with one loss per data set, as
// sentence-transformers trains a dict of datasets and losses with one optimizer. Each step graph has
// its own session; the parameters and optimizer state are one checkpoint, keyed by graph input name,
// that a step reads its own tensors from and writes back, so every task moves the same weights.
import { fail } from '../errors.js';
import { elementCount } from '../onnx/tensor-proto.js';
import { createTensor, type Session, type Tensor } from '../runtime/runtime.js';
import type { TrainStep } from './build-train-step.js';
import type { Trainer, TrainBatch, TrainerCheckpoint, TrainerOptions } from './create-trainer.js';

/** One batch for the step of its task (an index into `steps`). */
export interface TaskBatch {
  readonly task: number;
  readonly feeds: TrainBatch;
}

export interface MultiTaskTrainerOptions extends Omit<TrainerOptions, 'step'> {
  /** One train step per task, built from the same encoder (same parameter discovery) and the same kind of optimizer. */
  steps: readonly TrainStep[];
}

/** The names a step feeds from (and writes back to) the shared checkpoint. */
interface StepIo { session: Session; outputs: string[]; params: string[]; state: string[] }

export async function createMultiTaskTrainer(options: MultiTaskTrainerOptions): Promise<Trainer<TaskBatch>> {
  const { steps, runtime } = options;
  if (steps.length === 0) fail('train', 'trainer: expected at least one train step, got none');
  const lrAt = typeof options.lr === 'number' ? () => options.lr as number : options.lr;
  let current: TrainerCheckpoint = options.resume ?? initialCheckpoint(steps);
  for (const step of steps) checkResume(step, current);
  const io = await openSessions(options);
  const pick = (names: string[], from: Readonly<Record<string, Tensor>>) => Object.fromEntries(names.map((n) => [n, from[n]!]));
  const clock = { started: performance.now(), steps: 0 };

  const run = (task: number, feeds: TrainBatch, n: number, outputs: string[]) => {
    const step = io[task]!;
    return step.session.run({ ...feeds, ...pick(step.params, current.params), ...pick(step.state, current.state), ...scalarFeeds(steps[task]!, n, lrAt(n)) }, { outputs });
  };
  const runStep = async ({ task, feeds }: TaskBatch): Promise<number> => {
    checkTask(task, steps.length);
    const n = current.step + 1;
    const result = await run(task, feeds, n, io[task]!.outputs);
    const loss = Number(result.loss!.data[0]);
    if (!Number.isFinite(loss)) fail('train', `step ${n}: expected a finite loss, got ${loss}; training stopped before this step changed anything: the trainer keeps step ${current.step}'s parameters${current.step === 0 ? ' (the initial ones)' : ''}, as trainer.checkpoint() returns them`);
    current = nextCheckpoint(steps[task]!, n, result, current);
    clock.steps++;
    const progress = { step: n, loss, lr: lrAt(n), stepsPerSecond: (clock.steps * 1000) / (performance.now() - clock.started) };
    options.onProgress?.(steps.length > 1 ? { ...progress, task } : progress);
    if (options.checkpointEvery && n % options.checkpointEvery === 0) await options.onCheckpoint?.(current);
    return loss;
  };

  return {
    step: runStep,
    async train(batches, { steps: count = Infinity } = {}) {
      Object.assign(clock, { started: performance.now(), steps: 0 });
      const losses: number[] = [];
      // Pull a batch only for a step that will run: samplers are stateful and must not lose one.
      const source = Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
      while (losses.length < count) {
        const next = await source.next();
        if (next.done) break;
        losses.push(await runStep(next.value));
      }
      return losses;
    },
    async evaluate(batches) {
      const losses: number[] = [];
      for (const { task, feeds } of batches) {
        checkTask(task, steps.length);
        losses.push(Number((await run(task, feeds, current.step + 1, ['loss'])).loss!.data[0]));
      }
      if (losses.length === 0) fail('train', 'evaluate: expected at least one validation batch, got none');
      return losses.reduce((a, b) => a + b) / losses.length;
    },
    checkpoint: () => current,
    release: async () => {
      for (const step of io) await step.session.release();
    },
  };
}

async function openSessions(options: MultiTaskTrainerOptions): Promise<StepIo[]> {
  const io: StepIo[] = [];
  try {
    for (const step of options.steps) {
      const session = await options.runtime.createSession(step.model, options.sessionOptions);
      io.push({
        session, params: step.io.params.map((p) => p.name), state: step.io.params.flatMap((p) => p.state.map((s) => s.input)),
        outputs: ['loss', ...step.io.params.flatMap((p) => [p.output, ...p.state.map((s) => s.output)])],
      });
    }
  } catch (cause) {
    for (const step of io) await step.session.release();
    throw cause;
  }
  return io;
}

function checkTask(task: number, count: number): void {
  if (!Number.isInteger(task) || task < 0 || task >= count) fail('train', `batch task: expected an integer in [0, ${count - 1}], got ${task}`);
}

/** The optimizer's float64 scalars for step `n`, as float32 graph inputs. */
function scalarFeeds(step: TrainStep, n: number, lr: number): Record<string, Tensor> {
  const scalars = step.optimizer.scalars(n, lr);
  return Object.fromEntries(Object.entries(step.io.scalars).map(([key, input]) => [input, createTensor('float32', Float32Array.of(scalars[key]!), [])]));
}

/**
 * Every step's initial parameters and zero state, merged: a name two steps share must be the same
 * tensor in both (same dims, same values), or the steps were not built from one encoder.
 */
function initialCheckpoint(steps: readonly TrainStep[]): TrainerCheckpoint {
  const params: Record<string, Tensor> = {};
  const state: Record<string, Tensor> = {};
  for (const step of steps) {
    for (const p of step.io.params) {
      const { dims } = step.params.find((q) => q.name === p.name)!;
      const value = step.initialParams[p.name]!;
      const seen = params[p.name];
      if (seen && seen.dims.join(',') !== dims.join(',')) fail('train', `trainer: parameter "${p.name}" has dims [${seen.dims.join(', ')}] in one train step and [${dims.join(', ')}] in another; build every step from the same encoder`);
      if (seen && !sameValues(seen.data as Float32Array, value.data as Float32Array)) fail('train', `trainer: parameter "${p.name}" starts from other values in another train step; build every step from the same encoder`);
      params[p.name] = value;
      for (const s of p.state) state[s.input] ??= createTensor('float32', new Float32Array(elementCount(dims)), dims);
    }
  }
  return { step: 0, params, state };
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** `previous` with the tensors this step updated replaced: the other tasks' own tensors (a loss head) stay. */
function nextCheckpoint(step: TrainStep, stepNumber: number, result: Record<string, Tensor>, previous: TrainerCheckpoint): TrainerCheckpoint {
  const params: Record<string, Tensor> = { ...previous.params };
  const state: Record<string, Tensor> = { ...previous.state };
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
