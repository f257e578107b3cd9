// The few random draws the samplers are built from, all from one seeded stream (`seededRandom`),
// so a sampler's whole output is a function of its seed.

/** A generator of floats in [0, 1), as `seededRandom` returns. */
export type Rng = () => number;

/** Uniform integer in [0, n). */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Uniform integer in [0, n) other than `except` (n ≥ 2). */
export function randomIndexExcept(rng: Rng, n: number, except: number): number {
  const i = randomIndex(rng, n - 1);
  return i >= except ? i + 1 : i;
}

export { shuffleInPlace } from '../random.js';
