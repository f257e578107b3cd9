// Which files of an image folder are which class: every leaf folder (one without subfolders) is a
// class, named by its path from the root; its parent path is its group (`alphabet/character/nn.png`:
// group "alphabet"; a flat `class/img.png` folder puts every class in the one group ".").
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fail } from '@twinembed/core';

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg']);

export type SkipOrRefuse = 'skip' | 'refuse';

export interface LayoutOptions {
  /** A leaf folder without images: skipped with a warning (default) or an error. */
  emptyClasses?: SkipOrRefuse;
  /** Files not named .png/.jpg/.jpeg: skipped and counted in a warning (default) or an error. */
  nonImages?: SkipOrRefuse;
}

export interface FolderLayout {
  /** Image paths, class by class, each class's files in name order. */
  paths: string[];
  labels: Int32Array;
  groups: Int32Array;
  /** Class folder paths relative to the root, '/'-separated; index = label. */
  classNames: string[];
  /** Group (parent) paths relative to the root, "." for the root itself; index = group. */
  groupNames: string[];
  skippedClasses: string[];
  skippedFiles: string[];
  warnings: string[];
}

interface Walk { classes: { name: string; files: string[] }[]; skippedFiles: string[]; strayImages: string[] }

const ioFail = (path: string, cause: NodeJS.ErrnoException): never =>
  fail('io', `cannot read "${path}": ${cause.code === 'ENOENT' ? 'no such file or directory' : cause.message}`, cause);

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch((cause: NodeJS.ErrnoException) => ioFail(path, cause))).isDirectory();
}

/** Depth-first in name order; `rel` is the folder's path from the root ('' for the root). */
async function walk(root: string, rel: string, into: Walk): Promise<void> {
  const dir = rel === '' ? root : join(root, rel);
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: NodeJS.ErrnoException) => ioFail(dir, cause));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const folders: string[] = [];
  const images: string[] = [];
  for (const entry of entries) {
    const { name } = entry;
    const relPath = rel === '' ? name : `${rel}/${name}`;
    // Only a symbolic link needs a stat to tell whether it leads to a folder.
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(join(dir, name))))) folders.push(relPath);
    else if (IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) images.push(relPath);
    else into.skippedFiles.push(relPath);
  }
  if (folders.length === 0 && rel !== '') into.classes.push({ name: rel, files: images });
  else for (const image of images) into.strayImages.push(image);
  for (const folder of folders) await walk(root, folder, into);
}

const listed = (items: string[]) => `${items.slice(0, 5).map((s) => `"${s}"`).join(', ')}${items.length > 5 ? `, … (${items.length - 5} more)` : ''}`;

function checkWalk(dir: string, found: Walk, options: LayoutOptions): void {
  if (found.strayImages.length > 0) {
    fail('data', `image folder "${dir}": expected images only in class folders (folders without subfolders), got ${found.strayImages.length} beside subfolders: ${listed(found.strayImages)}`);
  }
  const empty = found.classes.filter((c) => c.files.length === 0);
  if (options.emptyClasses === 'refuse' && empty.length > 0) {
    fail('data', `image folder "${dir}": expected at least one PNG or JPEG file in every class folder, got none in ${listed(empty.map((c) => c.name))}`);
  }
  if (options.nonImages === 'refuse' && found.skippedFiles.length > 0) {
    fail('data', `image folder "${dir}": expected only .png, .jpg or .jpeg files, got ${found.skippedFiles.length} others: ${listed(found.skippedFiles)}`);
  }
  if (found.classes.length === empty.length) {
    fail('data', `image folder "${dir}": expected one folder of PNG or JPEG images per class, got ${found.classes.length === 0 ? 'no subfolders' : `only ${empty.length === 1 ? 'a folder' : `${empty.length} folders`} without images`}`);
  }
}

/** Lists the classes, groups and image files of `dir`, without reading any image. */
export async function readFolderLayout(dir: string, options: LayoutOptions = {}): Promise<FolderLayout> {
  if (!(await isDirectory(dir))) fail('data', `image folder "${dir}": expected a directory, got a file`);
  const found: Walk = { classes: [], skippedFiles: [], strayImages: [] };
  await walk(dir, '', found);
  checkWalk(dir, found, options);
  const classes = found.classes.filter((c) => c.files.length > 0);
  const groupOf = (name: string) => (name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '.');
  const groupNames = [...new Set(classes.map((c) => groupOf(c.name)))];
  const paths = classes.flatMap((c) => c.files.map((f) => join(dir, f)));
  const labels = Int32Array.from(classes.flatMap((c, label) => c.files.map(() => label)));
  const groups = Int32Array.from(classes.flatMap((c) => c.files.map(() => groupNames.indexOf(groupOf(c.name)))));
  const skippedClasses = found.classes.filter((c) => c.files.length === 0).map((c) => c.name);
  const warnings = [
    ...(skippedClasses.length > 0 ? [`skipped ${skippedClasses.length} class folder${skippedClasses.length === 1 ? '' : 's'} without PNG or JPEG files: ${listed(skippedClasses)}`] : []),
    ...(found.skippedFiles.length > 0 ? [`skipped ${found.skippedFiles.length} file${found.skippedFiles.length === 1 ? '' : 's'} that are not .png, .jpg or .jpeg: ${listed(found.skippedFiles)}`] : []),
  ];
  return { paths, labels, groups, classNames: classes.map((c) => c.name), groupNames, skippedClasses, skippedFiles: found.skippedFiles, warnings };
}
