// What fine-tuning and the accuracy figure draw from: a few labelled classes, each with its one-shot
// "support" drawing and as many fresh variants as wanted (a new seeded instance, jittered).
import { seededRandom } from '@twinembed/web';
import { BUILTIN_GLYPHS } from './glyphs.js';
import type { Drawing } from './image-model.js';
import { randomJitter, type Stroke } from './strokes.js';

export interface ExampleSet {
  readonly name: string;
  readonly labels: readonly string[];
  /** The one example per class that a one-shot gallery holds. */
  support(label: string): Drawing;
  /** Another drawing of the class, different on every call of `next`. */
  variant(label: string, next: () => number): Drawing;
}

/** The built-in glyphs; support drawings come from fixed seeds, so every page load gets the same set. */
export function builtinSet(): ExampleSet {
  const labels = Object.keys(BUILTIN_GLYPHS);
  const make = (label: string, next: () => number) => BUILTIN_GLYPHS[label]!(next);
  return {
    name: 'built-in glyphs',
    labels,
    support: (label) => ({ strokes: make(label, seededRandom(1000 + labels.indexOf(label))) }),
    variant: (label, next) => ({ strokes: make(label, next), jitter: randomJitter(next) }),
  };
}

/** The user's enrolled drawings: a class's first is its support; variants are jittered re-renderings of any of them. */
export function enrolledSet(enrolled: ReadonlyMap<string, readonly (readonly Stroke[])[]>): ExampleSet {
  return {
    name: 'enrolled drawings',
    labels: [...enrolled.keys()],
    support: (label) => ({ strokes: enrolled.get(label)![0]! }),
    variant: (label, next) => {
      const drawings = enrolled.get(label)!;
      return { strokes: drawings[Math.floor(next() * drawings.length)]!, jitter: randomJitter(next) };
    },
  };
}

/** A label drawn uniformly, and one different from `not` when given. */
export function drawLabel(labels: readonly string[], next: () => number, not?: string): string {
  const pool = not === undefined ? labels : labels.filter((l) => l !== not);
  return pool[Math.floor(next() * pool.length)]!;
}
