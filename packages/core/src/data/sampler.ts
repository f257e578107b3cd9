// The iterator every sampler returns. It is stateful: iterating again continues where the last loop
// stopped, and breaking out of `for…of` does not close it (there is no `return`), so a training loop can
// pull from one sampler across many calls. Replaying means creating a new sampler with the same seed.
import { checkInteger } from './validate.js';

export interface Sampler<T> extends Iterable<T> {
  next(): IteratorResult<T, undefined>;
  /** The next `n` items, fewer only when a finite sampler runs out. */
  take(n: number): T[];
  [Symbol.iterator](): Sampler<T>;
}

/** Yields `draw()` `limit` times (Infinity: endlessly). */
export function createSampler<T>(draw: () => T, limit: number): Sampler<T> {
  let drawn = 0;
  const sampler: Sampler<T> = {
    next() {
      if (drawn >= limit) return { done: true, value: undefined };
      drawn++;
      return { done: false, value: draw() };
    },
    take(n) {
      checkInteger('take(n)', n, 0);
      const out: T[] = [];
      while (out.length < n && drawn < limit) out.push(sampler.next().value as T);
      return out;
    },
    [Symbol.iterator]: () => sampler,
  };
  return sampler;
}
