// Class-balanced draws for pairs and triplets: a class is drawn uniformly over classes (not over
// examples), then an example uniformly within it, so under a 100:1 imbalance rare classes are not starved.
import { fail } from '../errors.js';
import type { ClassIndex } from './class-index.js';
import { randomIndex, randomIndexExcept, type Rng } from './random-draw.js';
import { AREA } from './validate.js';

export interface ClassDraws {
  /** Two distinct examples of one class, the class uniform over classes with ≥ 2 examples. */
  positivePair(): [number, number];
  /** An example of a class drawn uniformly over the classes that have examples. */
  anyExample(): number;
  /** An example of a class other than example `a`'s, uniform over those other classes. */
  negativeFor(a: number): number;
}

/** `needPositives` / `needNegatives` say which draws the caller will make, so impossible ones fail here. */
export function createClassDraws(index: ClassIndex, rng: Rng, need: { positives: boolean; negatives: boolean }): ClassDraws {
  const { labels, members, present } = index;
  const positiveClasses = present.filter((c) => members[c]!.length >= 2);
  if (need.positives && positiveClasses.length === 0) {
    fail(AREA, `positive pairs: expected a class with ≥ 2 examples, got ${present.length} classes of one example each`);
  }
  if (need.negatives && present.length < 2) {
    fail(AREA, `negative pairs: expected ≥ 2 classes with examples, got ${present.length} (class ${present[0]})`);
  }
  const slot = new Map(present.map((c, s) => [c, s]));
  const example = (c: number) => members[c]![randomIndex(rng, members[c]!.length)]!;
  return {
    positivePair() {
      const m = members[positiveClasses[randomIndex(rng, positiveClasses.length)]!]!;
      const i = randomIndex(rng, m.length);
      return [m[i]!, m[randomIndexExcept(rng, m.length, i)]!];
    },
    anyExample: () => example(present[randomIndex(rng, present.length)]!),
    negativeFor: (a) => example(present[randomIndexExcept(rng, present.length, slot.get(labels[a]!)!)]!),
  };
}
