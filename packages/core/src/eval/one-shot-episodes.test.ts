import { describe, expect, test } from 'vitest';
import { episodePool, oneShotEpisodes, type Episode } from './one-shot-episodes.js';

/** Examples per class, by group: group g has classes[g] classes; class sizes cycle through `sizes`. */
function dataset(classesPerGroup: number[], sizes: number[]): { labels: Int32Array; groups: Int32Array } {
  const labels: number[] = [];
  const groups: number[] = [];
  let label = 0;
  classesPerGroup.forEach((count, g) => {
    for (let c = 0; c < count; c++, label++) {
      for (let k = 0; k < sizes[label % sizes.length]!; k++) [labels[labels.length], groups[groups.length]] = [label * 7 + 3, g * 11];
    }
  });
  // Shuffle the example order so nothing depends on examples of a class being contiguous.
  const order = labels.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
  return { labels: Int32Array.from(order, (i) => labels[i]!), groups: Int32Array.from(order, (i) => groups[i]!) };
}

function checkEpisode(e: Episode, labels: Int32Array, groups: Int32Array, ways: number, shots: number, withinGroup: boolean): void {
  expect(e.classes.length).toBe(ways);
  expect(new Set(e.classes).size).toBe(ways);
  expect([e.support.length, e.query.length]).toEqual([ways * shots, ways]);
  e.classes.forEach((label, c) => {
    const supports = Array.from(e.support.subarray(c * shots, (c + 1) * shots));
    expect(new Set(supports).size).toBe(shots);
    for (const i of [...supports, e.query[c]!]) expect(labels[i]).toBe(label);
    expect(supports).not.toContain(e.query[c]);
  });
  if (withinGroup) for (const i of [...e.support, ...e.query]) expect(groups[i]).toBe(e.group);
}

describe('oneShotEpisodes', () => {
  const { labels, groups } = dataset([6, 5, 8, 3], [4, 2, 5, 3]);

  test.each([[1, false], [1, true], [2, true], [3, false]])('invariants, shots %i, withinGroup %s', (shots, withinGroup) => {
    const ways = 4;
    const episodes = oneShotEpisodes({ labels, groups, ways, shots, episodes: 300, withinGroup, seed: 5 });
    expect(episodes.length).toBe(300);
    for (const e of episodes) checkEpisode(e, labels, groups, ways, shots, withinGroup);
    const pool = episodePool({ labels, groups, ways, shots, withinGroup });
    const usable = new Set(pool.groups.flatMap((g) => g.classes));
    // Every usable class shows up, and nothing else does.
    expect(new Set(episodes.flatMap((e) => e.classes))).toEqual(usable);
    if (!withinGroup) expect(episodes.some((e) => new Set(e.classes.map((l) => groups[labels.indexOf(l)])).size > 1)).toBe(true);
  });

  test('groups with fewer than `ways` usable classes and classes with fewer than shots + 1 examples are left out', () => {
    // Sizes 4, 2, 5, 3 cycling: with shots 2, the classes of size 2 are too small.
    const pool = episodePool({ labels, groups, ways: 4, shots: 2, withinGroup: true });
    const sizeOf = (l: number) => labels.filter((x) => x === l).length;
    expect(pool.smallClasses.map(sizeOf)).toEqual(pool.smallClasses.map(() => 2));
    expect([...pool.smallClasses].sort((a, b) => a - b)).toEqual([1, 5, 9, 13, 17, 21].map((l) => l * 7 + 3));
    // Usable classes per group: 6 → 4 (two of size 2), 5 → 4, 8 → 6, 3 → 2.
    expect(pool.groups.map((g) => [g.group, g.classes.length])).toEqual([[0, 4], [11, 4], [22, 6]]);
    expect(pool.smallGroups).toEqual([{ group: 33, classes: 2 }]);
    const used = new Set(oneShotEpisodes({ labels, groups, ways: 4, shots: 2, episodes: 200, withinGroup: true, seed: 1 }).map((e) => e.group));
    expect(used).toEqual(new Set([0, 11, 22]));
  });

  test('the same seed gives the same episodes; another seed, others', () => {
    const options = { labels, groups, ways: 5, shots: 1, episodes: 50, withinGroup: true };
    expect(oneShotEpisodes({ ...options, seed: 9 })).toEqual(oneShotEpisodes({ ...options, seed: 9 }));
    expect(oneShotEpisodes({ ...options, seed: 10 })).not.toEqual(oneShotEpisodes({ ...options, seed: 9 }));
  });

  test('no usable group or class set: the message names the counts', () => {
    expect(() => oneShotEpisodes({ labels, groups, ways: 9, shots: 1, episodes: 1, withinGroup: true, seed: 0 })).toThrow(
      '[twinembed:eval] cannot build 9-way 1-shot episodes within groups: expected a group with ≥ 9 classes of ≥ 2 examples each (shots + 1), got at most 8 in any of 4 groups (22 of 22 classes have enough examples)');
    expect(() => oneShotEpisodes({ labels, groups, ways: 6, shots: 4, episodes: 1, withinGroup: false, seed: 0 })).toThrow(
      '[twinembed:eval] cannot build 6-way 4-shot episodes: expected ≥ 6 classes with ≥ 5 examples each (shots + 1), got 5 of 22 classes');
    expect(oneShotEpisodes({ labels, groups, ways: 5, shots: 4, episodes: 1, withinGroup: false, seed: 0 }).length).toBe(1);
  });

  test('bad options', () => {
    const base = { labels, groups, ways: 2, shots: 1, episodes: 1, withinGroup: true, seed: 0 };
    expect(() => oneShotEpisodes({ ...base, ways: 1 })).toThrow('[twinembed:eval] ways: expected an integer ≥ 2, got 1');
    expect(() => oneShotEpisodes({ ...base, shots: 0.5 })).toThrow('[twinembed:eval] shots: expected an integer ≥ 1, got 0.5');
    expect(() => oneShotEpisodes({ ...base, episodes: 0 })).toThrow('[twinembed:eval] episodes: expected an integer ≥ 1, got 0');
    expect(() => oneShotEpisodes({ ...base, groups: undefined })).toThrow('[twinembed:eval] withinGroup: expected groups (one per example), got none');
    expect(() => oneShotEpisodes({ ...base, groups: groups.subarray(1) })).toThrow(`[twinembed:eval] groups: expected one per example (${labels.length}), got ${labels.length - 1}`);
    expect(() => oneShotEpisodes({ ...base, labels: [0, 0, 1, 1], groups: [0, 1, 0, 0] })).toThrow('[twinembed:eval] class 0: expected all its examples in one group, got groups 0 (example 0) and 1 (example 1)');
  });
});
