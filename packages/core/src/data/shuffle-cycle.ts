// An endless stream of shuffled passes over a list of distinct items: every item appears once per pass,
// so counts never differ by more than one. Used for the classes of each batch and the examples of each class.

import { randomIndex, shuffleInPlace, type Rng } from './random-draw.js';

export interface ShuffleCycle {
  /** The next k items of the stream; distinct whenever k ≤ the number of items. */
  take(k: number): number[];
}

/**
 * Where one pass ends inside a `take`, the next pass is reshuffled and then any item already taken is
 * swapped out of the positions still to fill, with a random later item: passes stay permutations and
 * the k items stay distinct (possible because k ≤ items, so enough untaken items remain).
 */
export function createShuffleCycle(items: readonly number[], rng: Rng): ShuffleCycle {
  const order = items.slice();
  let next = order.length;
  return {
    take(k) {
      const out: number[] = [];
      while (out.length < k) {
        if (next === order.length) {
          shuffleInPlace(order, rng);
          next = 0;
          if (k <= order.length) keepClear(order, new Set(out), k - out.length, rng);
        }
        out.push(order[next++]!);
      }
      return out;
    },
  };
}

/** Moves the items of `taken` out of order[0, need) by swaps with random untaken items of order[need, n). */
function keepClear(order: number[], taken: ReadonlySet<number>, need: number, rng: Rng): void {
  if (taken.size === 0) return;
  const spare: number[] = [];
  for (let j = need; j < order.length; j++) if (!taken.has(order[j]!)) spare.push(j);
  for (let i = 0; i < need; i++) {
    if (!taken.has(order[i]!)) continue;
    const s = randomIndex(rng, spare.length);
    const j = spare[s]!;
    spare[s] = spare[spare.length - 1]!;
    spare.pop();
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}
