// The data of `twinembed train`: the image folder loaded at the model's size, the validation split
// (held-out groups by name or by seed, held-out classes, or a separate folder), the training classes
// as given, turned (rotations as new classes) or one per image (self-supervised), and their ink.
import { fail, withRotatedClasses, type Ink } from '@twinembed/core';
import { loadImageFolder } from '../data/image-folder.js';
import { holdOut, splitValidation, subset, type SplitImages } from './validation-split.js';

export interface TrainDataOptions {
  data: string; size: number; sizeMismatch: 'resize' | 'refuse'; seed: number;
  valGroups?: number; valGroupNames?: string[]; valClasses?: number; valDir?: string;
  valWays: number; withinAlphabet: boolean; valWithinAlphabet: boolean;
}

/** Loads --data (and --val-dir) and splits off the validation set; warnings go to `warn`. */
export async function loadTrainData(o: TrainDataOptions, warn: (line: string) => void) {
  const load = async (dir: string) => {
    const folder = await loadImageFolder(dir, { height: o.size, width: o.size, channels: 1, sizeMismatch: o.sizeMismatch });
    for (const warning of folder.warnings) warn(warning);
    return folder;
  };
  const folder = await load(o.data);
  const data = { images: folder.images, shape: [1, o.size, o.size] as const, labels: folder.labels, groups: folder.groups };
  const summary = { count: folder.labels.length, classes: folder.classNames.length, groups: folder.groupNames.length };
  if (o.valDir !== undefined) {
    const v = await load(o.valDir);
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    return {
      trainSet: subset(data, all(folder.labels.length)), folder: summary,
      validation: subset({ images: v.images, shape: data.shape, labels: v.labels, groups: v.groups }, all(v.labels.length)),
      heldOut: { dir: o.valDir },
    };
  }
  // a held-out group must hold a whole within-group validation episode
  const classesIn = (g: number) => new Set(Array.from(folder.labels).filter((_, i) => folder.groups[i] === g)).size;
  if (o.valGroupNames !== undefined) {
    const ids = o.valGroupNames.map((name) => {
      const id = folder.groupNames.indexOf(name);
      return id >= 0 ? id : fail('cli', `train: --val-group-names: expected group folders of ${o.data}, got "${name}" (groups: ${folder.groupNames.join(', ')})`);
    });
    const small = ids.filter((g) => (o.withinAlphabet || o.valWithinAlphabet) && classesIn(g) < o.valWays);
    if (small.length > 0) fail('cli', `train: --val-group-names: a within-alphabet ${o.valWays}-way episode needs ${o.valWays} classes, got ${small.map((g) => `${folder.groupNames[g]} (${classesIn(g)})`).join(', ')}`);
    const split = holdOut(data, 'groups', ids);
    return { trainSet: split.train, validation: split.validation, folder: summary, heldOut: { groups: split.heldOut.map((g) => folder.groupNames[g]!) } };
  }
  const mode = o.valGroups !== undefined ? 'groups' : 'classes';
  const eligible = mode === 'groups' && (o.withinAlphabet || o.valWithinAlphabet) ? (g: number) => classesIn(g) >= o.valWays : undefined;
  const split = splitValidation(data, mode, (o.valGroups ?? o.valClasses)!, o.seed, eligible);
  const names = mode === 'groups' ? split.heldOut.map((g) => folder.groupNames[g]!) : split.heldOut.map((c) => folder.classNames[c]!);
  return { trainSet: split.train, validation: split.validation, folder: summary, heldOut: { [mode]: names } };
}

/** Drawings are mostly background: a mean below ½ means light strokes on a dark background. */
export function inkOf(images: Float32Array): Ink {
  let sum = 0;
  for (let i = 0; i < images.length; i++) sum += images[i]!;
  return sum / images.length < 0.5 ? 'light' : 'dark';
}

/** The training classes plus each turned by 90°, 180° and 270°, as new classes in new groups. */
export function rotatedClasses(data: SplitImages): SplitImages {
  const turned = withRotatedClasses({ images: data.images, shape: data.shape, labels: data.labels, classGroups: data.classGroups }, [1, 2, 3]);
  const groups = Int32Array.from(turned.labels, (c) => turned.classGroups[c]!);
  return { images: turned.images, shape: data.shape, labels: turned.labels, groups, classGroups: turned.classGroups, classes: Int32Array.from(turned.classGroups, (_, c) => c) };
}

/** Every image its own class (self-supervised training): positives come from augmenting it. */
export function ownClasses(data: SplitImages): SplitImages {
  const n = data.labels.length;
  return { ...data, labels: Int32Array.from({ length: n }, (_, i) => i), classGroups: data.groups, classes: Int32Array.from({ length: n }, (_, i) => i) };
}
