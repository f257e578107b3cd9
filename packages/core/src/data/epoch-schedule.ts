// Which pool of classes (a group, or all eligible classes) each batch draws from. Epoch k gives pool g
// ⌈(k·n_g − drawn_g) / P⌉ batches, in shuffled order, where n_g is its class count, drawn_g the classes it has
// drawn so far and P the classes per batch: after k epochs every pool has drawn at least k·n_g classes
// (with its shuffle cycle, every class k or k + 1 times) and fewer than P more.

import { shuffleInPlace, type Rng } from './random-draw.js';

/** Batches in the first `epochs` epochs: Σ_g ⌈epochs·n_g / P⌉ (Infinity for endless). */
export function batchesInEpochs(poolSizes: readonly number[], perBatch: number, epochs: number): number {
  if (epochs === Infinity) return Infinity;
  return poolSizes.reduce((sum, n) => sum + Math.ceil((epochs * n) / perBatch), 0);
}

/** Returns the pool of each successive batch; every pool must hold ≥ perBatch classes. */
export function createEpochSchedule(poolSizes: readonly number[], perBatch: number, rng: Rng): () => number {
  const drawn = poolSizes.map(() => 0);
  let epoch = 0;
  let queue: number[] = [];
  return () => {
    if (queue.length === 0) {
      epoch++;
      queue = poolSizes.flatMap((n, g) => {
        const batches = Math.ceil((epoch * n - drawn[g]!) / perBatch);
        drawn[g]! += batches * perBatch;
        return Array<number>(batches).fill(g);
      });
      shuffleInPlace(queue, rng);
    }
    return queue.pop()!;
  };
}
