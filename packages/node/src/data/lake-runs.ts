// Lake et al.'s one-shot runs (brendenlake/omniglot, all_runs.zip): run01…run20, each with
// training/class01…20.png, test/item01…20.png and class_labels.txt, whose lines pair a test item with
// its class ("run01/test/item01.png run01/training/class17.png", paths from the folder holding the runs).
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fail } from '@twinembed/core';
import { readRegularText } from '../read-regular-file.js';
import { IMAGE_EXTENSIONS } from './image-folder-layout.js';

export const CLASS_LABELS_FILE = 'class_labels.txt';

export interface LakeTrial {
  /** The test item's path. */
  item: string;
  /** Index into the run's `training` of the item's class. */
  answer: number;
}

export interface LakeRun {
  /** The run folder's name, e.g. "run01". */
  name: string;
  /** The candidates: every image of the run's training/ folder, in name order (one per class in Lake's runs). */
  training: string[];
  /** One per line of class_labels.txt, in file order. */
  trials: LakeTrial[];
}

const exists = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined;
const isFile = async (path: string) => (await stat(path).catch(() => undefined))?.isFile() === true;

async function listImages(dir: string, what: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: NodeJS.ErrnoException) =>
    fail('data', `${what}: cannot read "${dir}": ${cause.code === 'ENOENT' ? 'no such folder' : cause.message}`, cause));
  const names = entries.filter((e) => !e.isDirectory() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())).map((e) => e.name).sort();
  if (names.length === 0) fail('data', `${what}: expected the training images (class01.png, …) in "${dir}", got no PNG or JPEG files`);
  return names.map((n) => join(dir, n));
}

/** The trials of one run; every path is checked, and a bad line is named by its number. */
async function readTrials(runDir: string, training: string[]): Promise<LakeTrial[]> {
  const file = join(runDir, CLASS_LABELS_FILE);
  const text = await readRegularText(file);
  const root = dirname(resolve(runDir));
  const byPath = new Map(training.map((path, i) => [resolve(path), i]));
  const seen = new Map<string, number>();
  const trials: LakeTrial[] = [];
  const lines = text.split('\n');
  for (let n = 1; n <= lines.length; n++) {
    const line = lines[n - 1]!.trim();
    if (line === '') continue;
    const where = `"${file}" line ${n}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 2) fail('data', `${where}: expected "<test image> <training image>" (e.g. "run01/test/item01.png run01/training/class17.png"), got ${JSON.stringify(line)}`);
    const [item, answer] = fields.map((p) => resolve(root, p)) as [string, string];
    for (const [path, field] of [[item, fields[0]], [answer, fields[1]]] as const) {
      if (!(await isFile(path))) fail('data', `${where}: "${field}" is missing (expected an image at "${path}", paths relative to the folder holding the run)`);
    }
    const index = byPath.get(answer) ?? fail('data', `${where}: expected the class "${fields[1]}" to be an image of "${join(runDir, 'training')}", got a file elsewhere`);
    if (seen.has(item)) fail('data', `${where}: test item "${fields[0]}" is listed twice (also on line ${seen.get(item)})`);
    seen.set(item, n);
    trials.push({ item, answer: index });
  }
  if (trials.length === 0) fail('data', `"${file}": expected one line per test item, got no trials`);
  return trials;
}

async function readRun(runDir: string): Promise<LakeRun> {
  const name = basename(resolve(runDir));
  const training = await listImages(join(runDir, 'training'), `run "${name}"`);
  return { name, training, trials: await readTrials(runDir, training) };
}

/** `dir` is one run (it holds class_labels.txt) or a folder of runs (each subfolder holding one; others ignored). */
export async function readLakeRuns(dir: string): Promise<LakeRun[]> {
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) fail('data', `Lake runs "${dir}": expected a folder of runs (run01, …) or one run folder, got ${(await exists(dir)) ? 'a file' : 'nothing there'}`);
  if (await exists(join(dir, CLASS_LABELS_FILE))) return [await readRun(dir)];
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const runs: string[] = [];
  for (const name of folders) if (await exists(join(dir, name, CLASS_LABELS_FILE))) runs.push(join(dir, name));
  if (runs.length === 0) fail('data', `Lake runs "${dir}": expected run folders (run01, …) each holding ${CLASS_LABELS_FILE}, training/ and test/, or one such run folder, got no ${CLASS_LABELS_FILE} in it or its subfolders`);
  const read: LakeRun[] = [];
  for (const run of runs) read.push(await readRun(run));
  return read;
}
