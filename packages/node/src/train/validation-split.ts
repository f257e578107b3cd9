// Held-out classes for validation during training: whole groups (e.g. alphabets, so validation is
// on alphabets never seen, as Koch et al. did) or single classes, chosen by seed. Labels of both
// halves are renumbered 0..k−1 (samplers index classes densely); groups stay per example.
import { fail, seededRandom, shuffleInPlace } from '@twinembed/core';

export interface LabeledImages {
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number];
  /** Class of each example. */
  readonly labels: ArrayLike<number>;
  /** Group of each example. */
  readonly groups: ArrayLike<number>;
}

export interface SplitImages extends LabeledImages {
  readonly labels: Int32Array;
  readonly groups: Int32Array;
  /** Group of each (renumbered) class. */
  readonly classGroups: Int32Array;
  /** Original label of each renumbered class. */
  readonly classes: Int32Array;
}

export interface ValidationSplit {
  train: SplitImages;
  validation: SplitImages;
  /** The held-out original groups (groups mode) or classes (classes mode). */
  heldOut: number[];
}

/** Holds out `count` groups (mode 'groups') or classes (mode 'classes'), drawn by `seed` among `eligible` ones (default all). */
export function splitValidation(data: LabeledImages, mode: 'groups' | 'classes', count: number, seed: number, eligible?: (id: number) => boolean): ValidationSplit {
  const keyOf = (i: number) => (mode === 'groups' ? data.groups[i]! : data.labels[i]!);
  const all = [...new Set(Array.from({ length: data.labels.length }, (_, i) => keyOf(i)))].sort((a, b) => a - b);
  const ids = all.filter((id) => eligible?.(id) ?? true);
  const most = Math.min(ids.length, all.length - 1);
  if (!Number.isInteger(count) || count < 1 || count > most) {
    fail('train', `validation: expected between 1 and ${most} ${mode} to hold out (${ids.length} eligible of ${all.length}, at least one left to train on), got ${count}`);
  }
  shuffleInPlace(ids, seededRandom(seed));
  return holdOut(data, mode, ids.slice(0, count));
}

/** Holds out exactly the groups (mode 'groups') or classes (mode 'classes') `heldOut`. */
export function holdOut(data: LabeledImages, mode: 'groups' | 'classes', heldOut: readonly number[]): ValidationSplit {
  const keyOf = (i: number) => (mode === 'groups' ? data.groups[i]! : data.labels[i]!);
  const held = new Set(heldOut);
  const rows = (keep: boolean) => Array.from({ length: data.labels.length }, (_, i) => i).filter((i) => held.has(keyOf(i)) === keep);
  const split = { train: subset(data, rows(false)), validation: subset(data, rows(true)), heldOut: [...held].sort((a, b) => a - b) };
  if (split.train.labels.length === 0 || split.validation.labels.length === 0) {
    fail('train', `validation: expected examples both held out and left to train on, got ${split.validation.labels.length} held out and ${split.train.labels.length} to train on`);
  }
  return split;
}

/** The examples `rows` of `data`, with classes renumbered in order of first appearance. */
export function subset(data: LabeledImages, rows: readonly number[]): SplitImages {
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const images = new Float32Array(rows.length * size);
  const renumber = new Map<number, number>();
  const labels = new Int32Array(rows.length);
  const groups = new Int32Array(rows.length);
  const classGroups: number[] = [];
  rows.forEach((i, k) => {
    images.set(data.images.subarray(i * size, (i + 1) * size), k * size);
    const label = data.labels[i]!;
    if (!renumber.has(label)) {
      renumber.set(label, renumber.size);
      classGroups.push(data.groups[i]!);
    }
    labels[k] = renumber.get(label)!;
    groups[k] = data.groups[i]!;
  });
  return { images, shape: data.shape, labels, groups, classGroups: Int32Array.from(classGroups), classes: Int32Array.from(renumber.keys()) };
}
