// Batches of exactly m examples of each of P classes (P·m indices, class by class): the batch shape
// batch-hard / batch-all triplet losses need, which sentence-transformers' label sampler does not guarantee.
// Classes come from shuffled passes (epoch-schedule.ts, shuffle-cycle.ts), so every eligible class appears
// k or k + 1 times after k epochs; examples of a class are drawn without replacement, reshuffled when used up.
// withinGroup: every batch's classes share one group. A group with fewer than P eligible classes is skipped
// (and reported), not used for a smaller batch: the batch size stays m·P, which static-shape train steps and
// the number of in-batch negatives rely on. (Omniglot alphabets have 14 to 55 characters.)
import { fail } from '../errors.js';
import { seededRandom } from '../random.js';
import { checkIndices, indexClasses } from './class-index.js';
import { batchesInEpochs, createEpochSchedule } from './epoch-schedule.js';
import { createSampler, type Sampler } from './sampler.js';
import { createShuffleCycle } from './shuffle-cycle.js';
import { AREA, checkInteger, checkSeed } from './validate.js';

export interface MPerClassOptions {
  /** Class index of each example. */
  labels: ArrayLike<number>;
  /** Examples of each class in a batch (≥ 1). */
  m: number;
  /** Distinct classes in a batch (≥ 1); a batch holds m · classesPerBatch indices. */
  classesPerBatch: number;
  seed: number;
  /** Group of each class, indexed by class (e.g. the alphabet of each Omniglot character); used with withinGroup. */
  groups?: ArrayLike<number>;
  /** Draw every batch's classes from one group (needs `groups`). Default false. */
  withinGroup?: boolean;
  /** Keep classes with fewer than m examples, repeating examples within the class. Default false: exclude them. */
  allowReplacement?: boolean;
  /** Stop after this many epochs (default: endless). */
  epochs?: number;
}

export interface MPerClassBatches extends Sampler<number[]> {
  /** Classes the batches draw from, ascending. */
  readonly classes: readonly number[];
  /** Every other class of 0..max label: fewer than m examples (without allowReplacement) or in an excluded group. */
  readonly excludedClasses: readonly number[];
  /** Groups skipped for having fewer than classesPerBatch eligible classes (withinGroup only). */
  readonly excludedGroups: readonly number[];
  /** Batches per epoch on average: classes.length / classesPerBatch (one epoch shows every class once). */
  readonly batchesPerEpoch: number;
  /** Batches yielded in all: Σ over pools of ⌈epochs · classes in pool / classesPerBatch⌉, or Infinity. */
  readonly batchCount: number;
}

/** The pools of classes batches draw from: one per kept group, or one of all eligible classes. */
function classPools(options: MPerClassOptions, eligible: readonly number[], classCount: number, P: number) {
  if (!options.withinGroup) return { pools: [eligible], excludedGroups: [] as number[] };
  if (options.groups === undefined) fail(AREA, 'groups: expected a group per class when withinGroup is true, got none');
  const groups = checkIndices('groups', options.groups);
  if (groups.length < classCount) fail(AREA, `groups: expected a group for each of ${classCount} classes, got ${groups.length}`);
  const byGroup = new Map<number, number[]>();
  for (const c of eligible) {
    const list = byGroup.get(groups[c]!);
    if (list) list.push(c);
    else byGroup.set(groups[c]!, [c]);
  }
  const ids = [...new Set(groups.subarray(0, classCount))].sort((a, b) => a - b);
  const kept = ids.filter((g) => (byGroup.get(g)?.length ?? 0) >= P);
  if (kept.length === 0) {
    const largest = [...byGroup.values()].reduce((m, cs) => Math.max(m, cs.length), 0);
    fail(AREA, `classesPerBatch: expected at most ${largest} (the most eligible classes in one group) with withinGroup, got ${P}`);
  }
  return { pools: kept.map((g) => byGroup.get(g)!), excludedGroups: ids.filter((g) => !kept.includes(g)) };
}

export function mPerClassBatches(options: MPerClassOptions): MPerClassBatches {
  const m = checkInteger('m', options.m, 1);
  const P = checkInteger('classesPerBatch', options.classesPerBatch, 1);
  const epochs = options.epochs === undefined ? Infinity : checkInteger('epochs', options.epochs, 1);
  const rng = seededRandom(checkSeed(options.seed));
  const { members } = indexClasses(options.labels);
  const minimum = options.allowReplacement ? 1 : m;
  const eligible = members.flatMap((ex, c) => (ex.length >= minimum ? [c] : []));
  if (eligible.length < P) {
    fail(AREA, `classesPerBatch: expected at most ${eligible.length} (classes with ≥ ${minimum} examples, of ${members.length}), got ${P}`);
  }
  const { pools, excludedGroups } = classPools(options, eligible, members.length, P);
  const classes = pools.flat().sort((a, b) => a - b);
  const kept = new Set(classes);
  const classCycles = pools.map((pool) => createShuffleCycle(pool, rng));
  const exampleCycles = new Map(classes.map((c) => [c, createShuffleCycle(members[c]!, rng)]));
  const nextPool = createEpochSchedule(pools.map((p) => p.length), P, rng);
  const batchCount = batchesInEpochs(pools.map((p) => p.length), P, epochs);
  const sampler = createSampler(() => classCycles[nextPool()]!.take(P).flatMap((c) => exampleCycles.get(c)!.take(m)), batchCount);
  return Object.assign(sampler, {
    classes,
    excludedClasses: members.flatMap((_, c) => (kept.has(c) ? [] : [c])),
    excludedGroups,
    batchesPerEpoch: classes.length / P,
    batchCount,
  });
}
