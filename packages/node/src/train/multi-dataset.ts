// Multi-dataset fine-tuning: which loss trains on which file, and the batch order across them as
// sentence-transformers' RoundRobinBatchSampler: one batch of each data set in turn, and an epoch
// ends when one of them has no batch left (then every data set starts a new shuffle).
import { fail, seededRandom, shuffleInPlace } from '@twinembed/core';

export interface DatasetSpec { readonly path: string; readonly loss: string }

/**
 * `--data` files with their `--loss`: one loss for every file, or one per file in the same order
 * (`--data a --loss X --data b --loss Y`).
 */
export function pairDatasets(paths: readonly string[], losses: readonly string[]): DatasetSpec[] {
  if (paths.length === 0) fail('cli', 'finetune: expected at least one --data FILE, got none');
  if (losses.length !== 1 && losses.length !== paths.length) {
    fail('cli', `finetune: expected one --loss for all --data files or one per file (${paths.length}), got ${losses.length} (${losses.join(', ')})`);
  }
  return paths.map((path, i) => ({ path, loss: losses.length === 1 ? losses[0]! : losses[i]! }));
}

/** The distinct losses in first-use order, and for each data set the index of its loss (its train step). */
export function lossTasks(datasets: readonly DatasetSpec[]): { losses: string[]; taskOf: number[] } {
  const losses = [...new Set(datasets.map((d) => d.loss))];
  return { losses, taskOf: datasets.map((d) => losses.indexOf(d.loss)) };
}

export interface RoundRobinOptions {
  /** Rows per data set. */
  counts: readonly number[];
  batchSize: number;
  /** Exactly one of steps and epochs. */
  steps?: number;
  epochs?: number;
  shuffle: boolean;
  seed: number;
}

export interface DatasetBatch { readonly dataset: number; readonly indices: number[] }

const batchesIn = (count: number, batchSize: number) => Math.ceil(count / batchSize);

/**
 * Batches in one round-robin epoch: data set d runs out at its (bₐ + 1)-th turn, turn number
 * n·bₐ + d (0-based), which yields no batch; the epoch is the earliest such turn.
 */
export function roundRobinEpochSteps(o: Pick<RoundRobinOptions, 'counts' | 'batchSize'>): number {
  return o.counts.reduce((m, count, d) => Math.min(m, o.counts.length * batchesIn(count, o.batchSize) + d), Infinity);
}

/** How many steps the run takes: `steps`, or `epochs` round-robin epochs. */
export function roundRobinSteps(o: Pick<RoundRobinOptions, 'counts' | 'batchSize' | 'steps' | 'epochs'>): number {
  return o.steps ?? o.epochs! * roundRobinEpochSteps(o);
}

/**
 * Row indices per step with the data set they come from. Each epoch shuffles every data set (one
 * seeded stream, data sets in order) and cuts it into batches; with one data set this is exactly
 * text-batches' batchOrder.
 */
export function* roundRobinBatches(o: RoundRobinOptions): Generator<DatasetBatch> {
  if (o.counts.length === 0 || o.counts.some((c) => !Number.isInteger(c) || c < 1)) fail('train', `round-robin batches: expected data sets of at least one row, got [${o.counts.join(', ')}]`);
  const random = seededRandom(o.seed);
  const total = roundRobinSteps(o);
  const perEpoch = roundRobinEpochSteps(o);
  let made = 0;
  while (made < total) {
    const orders = o.counts.map((count) => {
      const order = Array.from({ length: count }, (_, i) => i);
      if (o.shuffle) shuffleInPlace(order, random);
      return order;
    });
    for (let turn = 0; turn < perEpoch && made < total; turn++, made++) {
      const dataset = turn % o.counts.length;
      const start = Math.floor(turn / o.counts.length) * o.batchSize;
      yield { dataset, indices: orders[dataset]!.slice(start, start + o.batchSize) };
    }
  }
}
