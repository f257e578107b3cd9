// The one guard every command runs on its --out before any work: an output never lands on, around or
// in an input, and a folder is replaced only when twinembed wrote it (its OUTPUT_MARKER lists every
// entry) or --overwrite says so. Decisions are made on real paths (symlinks and `..` resolved).
import { readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Stats } from 'node:fs';
import { fail } from '@twinembed/core';
import { writeFileAtomic } from './atomic-write.js';
import { FILE_LIMITS, readOptionalText } from './read-regular-file.js';
import { sweepStaleSiblings } from './temporary-paths.js';

/** Written into every output folder: which command wrote it and the entries it wrote. */
export const OUTPUT_MARKER = '.twinembed-output';

export interface OutputMarker {
  twinembed: 1;
  command: string;
  files: string[];
}

/**
 * Paths a command reads, by flag: `{ '--model': files, '--data': [a, b] }`; undefined ones are skipped.
 * A folder counts whole (every file in it is read, as an image folder): no output may be inside it.
 * A model folder, of which only some files are read, is given as those files (modelInputs).
 */
export type OutputInputs = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface CheckOutputOptions {
  out: string;
  kind: 'dir' | 'file';
  inputs?: OutputInputs;
  /** The run's other outputs (finetune's checkpoint file): `out` may not be or hold one, as it is replaced whole. */
  outputs?: OutputInputs;
  /** Replace an existing folder twinembed did not write (never one that is, holds or is inside an input). */
  overwrite?: boolean;
  /** Names the output in errors: "the model", "the index". */
  what: string;
  /** The writer creates missing parent folders (index build); otherwise the parent must exist. */
  createParents?: boolean;
}

export interface OutputTarget {
  /** The real path to write: the target of a symlink, parents resolved. */
  path: string;
  exists: boolean;
}

/** Checks an output path and settles what dead writers left beside it; fails with one line, nothing written. */
export async function checkOutput(o: CheckOutputOptions): Promise<OutputTarget> {
  const refuse = (text: string): never => fail('io', `cannot write ${o.what} ${o.kind === 'dir' ? 'into' : 'to'} "${o.out}": ${text}`);
  await checkParent(o, refuse);
  const info = await stat(o.out).catch(() => undefined);
  if (info && o.kind === 'dir' && !info.isDirectory()) refuse(`expected a folder (or a new path), got ${kindOf(info)}`);
  if (info && o.kind === 'file' && info.isDirectory()) refuse('expected a file (or a new path), got a folder');
  const path = await realPathOf(o.out);
  for (const [flag, input] of await realInputs(o.inputs ?? {})) {
    const shown = `the ${flag} input "${input.given}"`;
    if (input.real === path) refuse(`expected a path apart from the inputs, got ${shown} itself`);
    if (inside(input.real, path)) refuse(`expected a folder that holds no input, got one that holds ${shown}`);
    if (inside(path, input.real)) refuse(`expected a path outside the input folders, got one inside ${shown}`);
  }
  for (const [flag, other] of await realInputs(o.outputs ?? {})) {
    if (other.real === path || inside(other.real, path)) refuse(`expected a folder apart from the run's other outputs, got one that holds the ${flag} output "${other.given}"`);
  }
  const foreign = info && o.kind === 'dir' ? await foreignEntries(path) : [];
  if (foreign.length > 0 && !o.overwrite) {
    const listed = `${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}`;
    refuse(`expected a new or empty folder, or one twinembed wrote, got a folder with ${foreign.length} ${foreign.length === 1 ? 'entry' : 'entries'} twinembed did not write (${listed}); pass --overwrite to replace it`);
  }
  sweepStaleSiblings(path);
  return { path, exists: info !== undefined };
}

async function checkParent(o: CheckOutputOptions, refuse: (text: string) => never): Promise<void> {
  let parent = dirname(resolve(o.out));
  if (o.createParents) {
    while (!(await stat(parent).catch(() => undefined)) && dirname(parent) !== parent) parent = dirname(parent);
  }
  const info = await stat(parent).catch(() => undefined);
  if (!info?.isDirectory()) refuse(`expected its parent folder "${o.createParents ? parent : dirname(o.out)}" to exist, got ${info ? kindOf(info) : 'nothing'}`);
}

function kindOf(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isDirectory()) return 'a folder';
  return info.isFIFO() ? 'a pipe' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'a special file';
}

/** The real path of `path`, which may not exist yet: its nearest existing ancestor resolved, the rest appended. */
async function realPathOf(path: string): Promise<string> {
  let head = resolve(path);
  const rest: string[] = [];
  for (;;) {
    const real = await realpath(head).catch(() => undefined);
    if (real !== undefined) return rest.reduceRight((path, name) => join(path, name), real);
    if (dirname(head) === head) return resolve(path);
    rest.push(basename(head));
    head = dirname(head);
  }
}

/** `child` strictly inside the folder `parent`. */
function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

async function realInputs(inputs: OutputInputs): Promise<[string, { given: string; real: string }][]> {
  const all: [string, { given: string; real: string }][] = [];
  for (const [flag, value] of Object.entries(inputs)) {
    for (const given of value === undefined ? [] : typeof value === 'string' ? [value] : value) all.push([flag, { given, real: await realPathOf(given) }]);
  }
  return all;
}

/** Entries of an existing folder that no marker claims: none for an empty folder or an untouched twinembed output. */
async function foreignEntries(dir: string): Promise<string[]> {
  const entries = (await readdir(dir)).sort();
  const marker = await readOutputMarker(dir);
  if (!marker) return entries;
  const claimed = new Set([OUTPUT_MARKER, ...marker.files]);
  return entries.filter((e) => !claimed.has(e));
}

/** The marker of a folder twinembed wrote, or undefined (none, or not one of ours). */
export async function readOutputMarker(dir: string): Promise<OutputMarker | undefined> {
  const text = await readOptionalText(join(dir, OUTPUT_MARKER), { maxBytes: FILE_LIMITS.json }).catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const marker = JSON.parse(text) as OutputMarker;
    const valid = marker?.twinembed === 1 && typeof marker.command === 'string' && Array.isArray(marker.files) && marker.files.every((f) => typeof f === 'string');
    return valid ? marker : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a file output: atomically over a regular file or a new path; straight into a pipe or device (`--out /dev/stdout`). */
export async function writeOutputFile(target: OutputTarget, bytes: Uint8Array, what: string): Promise<void> {
  const info = await stat(target.path).catch(() => undefined);
  if (info && !info.isFile()) {
    await writeFile(target.path, bytes).catch((cause: Error) => fail('io', `cannot write ${what} "${target.path}": ${cause.message}`, cause));
    return;
  }
  await writeFileAtomic(target.path, bytes, what);
}
