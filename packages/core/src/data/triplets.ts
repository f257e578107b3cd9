// (anchor, positive, negative) triplets, class-balanced as balancedPairs: the anchor's class is uniform over
// classes with ≥ 2 examples, positive ≠ anchor within it, the negative's class uniform over the other classes.
import { seededRandom } from '../random.js';
import { indexClasses } from './class-index.js';
import { createClassDraws } from './class-draws.js';
import { createSampler, type Sampler } from './sampler.js';
import { checkCount, checkSeed } from './validate.js';

export interface Triplet {
  anchor: number;
  positive: number;
  negative: number;
}

export interface TripletsOptions {
  /** Class index of each example. */
  labels: ArrayLike<number>;
  seed: number;
  /** Triplets to yield (default: endless). */
  count?: number;
}

export function triplets(options: TripletsOptions): Sampler<Triplet> {
  const rng = seededRandom(checkSeed(options.seed));
  const count = checkCount(options.count);
  const draws = createClassDraws(indexClasses(options.labels), rng, { positives: true, negatives: true });
  return createSampler((): Triplet => {
    const [anchor, positive] = draws.positivePair();
    return { anchor, positive, negative: draws.negativeFor(anchor) };
  }, count);
}
