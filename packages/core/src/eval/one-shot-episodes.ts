// N-way K-shot episodes for one-shot evaluation (Koch et al. 2015, Lake et al. 2015): each episode
// draws `ways` classes (all from one group, e.g. one Omniglot alphabet, when withinGroup), `shots`
// support examples per class and one query per class, distinct from its supports. Seeded.
import { fail } from '../errors.js';
import { seededRandom } from '../random.js';

export interface OneShotEpisodesOptions {
  /** Class label of each example (any integers). */
  labels: ArrayLike<number>;
  /** Group of each example (e.g. alphabet); every example of a class must share its group. */
  groups?: ArrayLike<number>;
  ways: number;
  shots: number;
  episodes: number;
  /** Draw every episode's classes from one group (needs `groups`). */
  withinGroup: boolean;
  seed: number;
}

export interface Episode {
  /** The episode's class labels, `ways` distinct values; position c is class c below. */
  classes: number[];
  /** Example indices, class-major: support[c * shots + s]. */
  support: Int32Array;
  /** Example indices: query[c] is one example of classes[c], not among its supports. */
  query: Int32Array;
  /** The group the classes came from, when withinGroup. */
  group?: number;
}

/** Which classes and groups episodes can use: classes with ≥ shots + 1 examples, in groups with ≥ ways of them. */
export interface EpisodePool {
  /** One entry per usable group (a single entry with group undefined when not withinGroup). */
  groups: { group?: number; classes: number[] }[];
  /** Example indices per class label, for every class. */
  examples: Map<number, number[]>;
  /** Classes left out for having fewer than shots + 1 examples. */
  smallClasses: number[];
  /** Groups left out for having fewer than `ways` usable classes, with that count (withinGroup only). */
  smallGroups: { group: number; classes: number }[];
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) fail('eval', `${name}: expected an integer ≥ ${min}, got ${value}`);
}

function examplesByClass(labels: ArrayLike<number>): Map<number, number[]> {
  const examples = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label)) fail('eval', `labels[${i}]: expected an integer class label, got ${label}`);
    const list = examples.get(label);
    if (list) list.push(i);
    else examples.set(label, [i]);
  }
  return examples;
}

function groupOfClass(examples: Map<number, number[]>, groups: ArrayLike<number>): Map<number, number> {
  const groupOf = new Map<number, number>();
  for (const [label, indices] of examples) {
    const group = groups[indices[0]!]!;
    const other = indices.find((i) => groups[i] !== group);
    if (other !== undefined) fail('eval', `class ${label}: expected all its examples in one group, got groups ${group} (example ${indices[0]}) and ${groups[other]} (example ${other})`);
    groupOf.set(label, group);
  }
  return groupOf;
}

/** The classes and groups an episode can draw from, and what was left out. */
export function episodePool(options: Omit<OneShotEpisodesOptions, 'episodes' | 'seed'>): EpisodePool {
  const { labels, groups, ways, shots, withinGroup } = options;
  checkCount('ways', ways, 2);
  checkCount('shots', shots, 1);
  if (groups && groups.length !== labels.length) fail('eval', `groups: expected one per example (${labels.length}), got ${groups.length}`);
  if (withinGroup && !groups) fail('eval', 'withinGroup: expected groups (one per example), got none');
  const examples = examplesByClass(labels);
  const usable = [...examples.keys()].filter((label) => examples.get(label)!.length >= shots + 1);
  const smallClasses = [...examples.keys()].filter((label) => examples.get(label)!.length < shots + 1);
  if (!withinGroup) return { groups: usable.length >= ways ? [{ classes: usable }] : [], examples, smallClasses, smallGroups: [] };
  const groupOf = groupOfClass(examples, groups!);
  const byGroup = new Map<number, number[]>([...new Set(groupOf.values())].map((g) => [g, []]));
  for (const label of usable) byGroup.get(groupOf.get(label)!)!.push(label);
  const entries = [...byGroup];
  return {
    groups: entries.filter(([, classes]) => classes.length >= ways).map(([group, classes]) => ({ group, classes })),
    examples, smallClasses,
    smallGroups: entries.filter(([, classes]) => classes.length < ways).map(([group, classes]) => ({ group, classes: classes.length })),
  };
}

function noPoolMessage(options: OneShotEpisodesOptions, pool: EpisodePool): string {
  const { ways, shots, withinGroup } = options;
  const total = pool.examples.size;
  const usable = total - pool.smallClasses.length;
  const head = `cannot build ${ways}-way ${shots}-shot episodes`;
  if (!withinGroup) return `${head}: expected ≥ ${ways} classes with ≥ ${shots + 1} examples each (shots + 1), got ${usable} of ${total} classes`;
  const best = pool.smallGroups.reduce((m, g) => Math.max(m, g.classes), 0);
  return `${head} within groups: expected a group with ≥ ${ways} classes of ≥ ${shots + 1} examples each (shots + 1), got at most ${best} in any of ${pool.smallGroups.length} groups (${usable} of ${total} classes have enough examples)`;
}

/** Moves `k` uniformly drawn distinct items to the front of `items` (partial Fisher–Yates, in place). */
function drawInPlace<T>(items: T[], k: number, random: () => number): void {
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (items.length - i));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** `episodes` seeded episodes; a group is drawn uniformly per episode when withinGroup. */
export function oneShotEpisodes(options: OneShotEpisodesOptions): Episode[] {
  const { ways, shots, episodes, seed } = options;
  checkCount('episodes', episodes, 1);
  if (!Number.isInteger(seed)) fail('eval', `seed: expected an integer, got ${seed}`);
  const pool = episodePool(options);
  if (pool.groups.length === 0) fail('eval', noPoolMessage(options, pool));
  const random = seededRandom(seed);
  // Working copies: drawing permutes them in place, which keeps every later draw uniform.
  const groups = pool.groups.map((g) => ({ group: g.group, classes: [...g.classes] }));
  const examples = new Map([...pool.examples].map(([label, list]) => [label, [...list]]));
  return Array.from({ length: episodes }, () => {
    const { group, classes } = groups[Math.floor(random() * groups.length)]!;
    drawInPlace(classes, ways, random);
    const chosen = classes.slice(0, ways);
    const support = new Int32Array(ways * shots);
    const query = new Int32Array(ways);
    chosen.forEach((label, c) => {
      const list = examples.get(label)!;
      drawInPlace(list, shots + 1, random);
      for (let s = 0; s < shots; s++) support[c * shots + s] = list[s]!;
      query[c] = list[shots]!;
    });
    return group === undefined ? { classes: chosen, support, query } : { classes: chosen, support, query, group };
  });
}
