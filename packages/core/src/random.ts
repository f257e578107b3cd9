// Seeded randomness for everything that must repeat run to run: parameter initialization,
// HNSW level draws, samplers, test inputs. mulberry32: 32-bit state, fast, good enough for these.

/** A generator of floats in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` float32 values uniform in [lo, hi). */
export function seededUniform(seed: number, count: number, lo: number, hi: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: count }, () => lo + (hi - lo) * next());
}

/** Fisher–Yates shuffle of `items` in place with `random` (e.g. a seededRandom stream); returns `items`. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}
