// Labelled pairs {a, b, same} for contrastive and Koch-style BCE training, class-balanced: the anchor's
// class is uniform over classes, so a class with 10 examples is an anchor as often as one with 1000.
// Positives (same = 1): a class uniform over classes with ≥ 2 examples, then a ≠ b within it (a class of one
// example never gives a positive). Negatives (same = 0): a's class uniform over all classes, b's class
// uniform over the others. Positive or negative is decided first, with probability positiveFraction.
import { seededRandom } from '../random.js';
import { indexClasses } from './class-index.js';
import { createClassDraws } from './class-draws.js';
import { createSampler, type Sampler } from './sampler.js';
import { checkCount, checkFraction, checkSeed } from './validate.js';

export interface LabeledPair {
  a: number;
  b: number;
  /** 1 when a and b share a class. */
  same: 0 | 1;
}

export interface BalancedPairsOptions {
  /** Class index of each example. */
  labels: ArrayLike<number>;
  seed: number;
  /** Pairs to yield (default: endless). */
  count?: number;
  /** Chance that a pair is positive (default 0.5). */
  positiveFraction?: number;
}

export function balancedPairs(options: BalancedPairsOptions): Sampler<LabeledPair> {
  const rng = seededRandom(checkSeed(options.seed));
  const positiveFraction = checkFraction('positiveFraction', options.positiveFraction, 0.5);
  const count = checkCount(options.count);
  const draws = createClassDraws(indexClasses(options.labels), rng, { positives: positiveFraction > 0, negatives: positiveFraction < 1 });
  return createSampler((): LabeledPair => {
    if (rng() < positiveFraction) {
      const [a, b] = draws.positivePair();
      return { a, b, same: 1 };
    }
    const a = draws.anyExample();
    return { a, b: draws.negativeFor(a), same: 0 };
  }, count);
}
