import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random.js';
import { mPerClassBatches } from './m-per-class-batches.js';

/** Labels with `counts[c]` examples of class c, in a seeded random order. */
function labelsWithCounts(counts: number[], seed = 1): number[] {
  const labels = counts.flatMap((n, c) => Array<number>(n).fill(c));
  const rng = seededRandom(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return labels;
}

/** Per class of a batch: how many of its examples it holds. */
function classCounts(batch: number[], labels: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const i of batch) counts.set(labels[i]!, (counts.get(labels[i]!) ?? 0) + 1);
  return counts;
}

describe('mPerClassBatches', () => {
  // Imbalanced on purpose: 3 to 40 examples per class; m = 3 keeps all 23 classes eligible.
  const counts = Array.from({ length: 23 }, (_, c) => 3 + ((c * 7) % 38));
  const labels = labelsWithCounts(counts);

  test('every batch holds exactly m examples of each of classesPerBatch distinct classes, no example twice', () => {
    const sampler = mPerClassBatches({ labels, m: 3, classesPerBatch: 5, seed: 7 });
    for (const batch of sampler.take(500)) {
      expect(batch).toHaveLength(15);
      const perClass = classCounts(batch, labels);
      expect(perClass.size).toBe(5);
      expect([...perClass.values()].every((n) => n === 3)).toBe(true);
      expect(new Set(batch).size).toBe(15);
      expect(batch.every((i) => Number.isInteger(i) && i >= 0 && i < labels.length)).toBe(true);
    }
  });

  test('batches are laid out class by class: indices [k·m, (k+1)·m) share a class', () => {
    const [batch] = mPerClassBatches({ labels, m: 3, classesPerBatch: 4, seed: 2 }).take(1);
    for (let k = 0; k < 4; k++) expect(new Set(batch!.slice(3 * k, 3 * k + 3).map((i) => labels[i])).size).toBe(1);
  });

  test('class coverage is even: after k epochs every class appeared k or k + 1 times', () => {
    // 23 classes, 5 per batch: epochs end mid-batch, so the seam between passes is exercised.
    for (const epochs of [1, 2, 7]) {
      const sampler = mPerClassBatches({ labels, m: 2, classesPerBatch: 5, seed: 11, epochs });
      const batches = [...sampler];
      expect(batches).toHaveLength(Math.ceil((epochs * 23) / 5));
      expect(sampler.batchCount).toBe(batches.length);
      const seen = new Map<number, number>();
      for (const b of batches) for (const c of classCounts(b, labels).keys()) seen.set(c, (seen.get(c) ?? 0) + 1);
      expect(seen.size).toBe(23);
      for (const n of seen.values()) expect(n === epochs || n === epochs + 1).toBe(true);
    }
  });

  test('examples of a class are used without replacement: per-example counts differ by at most one', () => {
    const sampler = mPerClassBatches({ labels, m: 3, classesPerBatch: 6, seed: 5 });
    const used = new Map<number, number>();
    for (const batch of sampler.take(400)) for (const i of batch) used.set(i, (used.get(i) ?? 0) + 1);
    for (let c = 0; c < counts.length; c++) {
      const n = labels.flatMap((l, i) => (l === c ? [used.get(i) ?? 0] : []));
      expect(Math.max(...n) - Math.min(...n), `class ${c} (${counts[c]} examples)`).toBeLessThanOrEqual(1);
    }
  });

  test('classes with fewer than m examples are excluded and reported; allowReplacement keeps them', () => {
    const small = labelsWithCounts([5, 2, 6, 1, 4, 0, 3]); // class 5 has no example (a gap in 0..6)
    const strict = mPerClassBatches({ labels: small, m: 3, classesPerBatch: 2, seed: 1 });
    expect(strict.excludedClasses).toEqual([1, 3, 5]);
    expect(strict.classes).toEqual([0, 2, 4, 6]);
    const drawn = new Set(strict.take(50).flatMap((b) => b.map((i) => small[i])));
    expect([...drawn].sort()).toEqual([0, 2, 4, 6]);

    const loose = mPerClassBatches({ labels: small, m: 3, classesPerBatch: 2, seed: 1, allowReplacement: true });
    expect(loose.excludedClasses).toEqual([5]);
    for (const batch of loose.take(100)) expect([...classCounts(batch, small).values()]).toEqual([3, 3]);
    const fromSingle = loose.take(100).flat().filter((i) => small[i] === 3);
    expect(new Set(fromSingle).size).toBe(1); // the one example of class 3, repeated
  });

  test('withinGroup: every batch from one group; groups too small are skipped, reported, and their classes excluded', () => {
    // 12 classes in groups 0 (5 classes), 1 (2 classes), 2 (5 classes).
    const groups = [0, 0, 0, 1, 2, 2, 0, 1, 2, 2, 0, 2];
    const grouped = labelsWithCounts(Array<number>(12).fill(4), 3);
    const sampler = mPerClassBatches({ labels: grouped, m: 2, classesPerBatch: 3, seed: 9, groups, withinGroup: true, epochs: 4 });
    expect(sampler.excludedGroups).toEqual([1]);
    expect(sampler.excludedClasses).toEqual([3, 7]);
    const batches = [...sampler];
    expect(batches).toHaveLength(2 * Math.ceil((4 * 5) / 3));
    const perGroup = [0, 0, 0];
    const perClass = new Map<number, number>();
    for (const batch of batches) {
      const classes = [...classCounts(batch, grouped).keys()];
      expect(classes).toHaveLength(3);
      expect(new Set(classes.map((c) => groups[c])).size).toBe(1);
      perGroup[groups[classes[0]!]!]!++;
      for (const c of classes) perClass.set(c, (perClass.get(c) ?? 0) + 1);
    }
    expect(perGroup).toEqual([7, 0, 7]);
    // 4 epochs: every kept class 4 or 5 times (7 batches × 3 = 21 draws over 5 classes per group)
    expect([...perClass.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10, 11]);
    for (const n of perClass.values()) expect(n === 4 || n === 5).toBe(true);
  });

  test('same seed → same batches, different seed → different batches', () => {
    const run = (seed: number) => mPerClassBatches({ labels, m: 2, classesPerBatch: 4, seed }).take(30);
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  test('the sampler is stateful: a second loop continues where the first stopped', () => {
    const sampler = mPerClassBatches({ labels, m: 2, classesPerBatch: 4, seed: 3 });
    const first: number[][] = [];
    for (const b of sampler) {
      first.push(b);
      if (first.length === 3) break;
    }
    expect([...first, ...sampler.take(2)]).toEqual(mPerClassBatches({ labels, m: 2, classesPerBatch: 4, seed: 3 }).take(5));
  });

  test('bad input fails with what was expected and what was found', () => {
    const base = { labels, m: 2, classesPerBatch: 4, seed: 1 };
    expect(() => mPerClassBatches({ ...base, m: 0 })).toThrow('[twinembed:data] m: expected an integer ≥ 1, got 0');
    expect(() => mPerClassBatches({ ...base, classesPerBatch: 24 })).toThrow(
      '[twinembed:data] classesPerBatch: expected at most 23 (classes with ≥ 2 examples, of 23), got 24',
    );
    const most = Math.max(...counts);
    const withMost = counts.filter((n) => n === most).length;
    expect(() => mPerClassBatches({ ...base, m: most, classesPerBatch: withMost + 1 })).toThrow(
      `classesPerBatch: expected at most ${withMost} (classes with ≥ ${most} examples, of 23), got ${withMost + 1}`,
    );
    expect(() => mPerClassBatches({ ...base, labels: [] })).toThrow('[twinembed:data] labels: expected at least one example, got an empty list');
    expect(() => mPerClassBatches({ ...base, labels: [0, 1, -1] })).toThrow('labels[2]: expected an integer ≥ 0, got -1');
    expect(() => mPerClassBatches({ ...base, seed: 0.5 })).toThrow('seed: expected an integer, got 0.5');
    expect(() => mPerClassBatches({ ...base, withinGroup: true })).toThrow('groups: expected a group per class when withinGroup is true, got none');
    expect(() => mPerClassBatches({ ...base, withinGroup: true, groups: [0, 1] })).toThrow('groups: expected a group for each of 23 classes, got 2');
    const twoGroups = Array.from({ length: 23 }, (_, c) => c % 2);
    expect(() => mPerClassBatches({ ...base, classesPerBatch: 13, withinGroup: true, groups: twoGroups })).toThrow(
      'classesPerBatch: expected at most 12 (the most eligible classes in one group) with withinGroup, got 13',
    );
  });
});
