import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { loadImageFolder, type LoadImageFolderOptions } from './image-folder.js';

const newDir = tempDirs('image-folder');

/** Writes a width × height RGBA PNG; `rgb(i)` gives pixel i's colour (alpha 255). */
function writePng(path: string, width: number, height: number, rgb: (i: number) => [number, number, number]): void {
  mkdirSync(dirname(path), { recursive: true });
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb(i), 255], i * 4);
  writeFileSync(path, PNG.sync.write(png));
}

const gray = (v: number) => (): [number, number, number] => [v, v, v];
const gray1: LoadImageFolderOptions = { channels: 1 }; // sizeMismatch: 'refuse' by default

/** A folder from a map of relative path → 2×2 gray level (or file text for other files). */
function folder(files: Record<string, number | string>): string {
  const root = newDir();
  for (const [path, content] of Object.entries(files)) {
    if (typeof content === 'number') writePng(join(root, path), 2, 2, gray(content));
    else {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  }
  return root;
}

describe('loadImageFolder', () => {
  test('nested folders: class = leaf folder, group = its parent; one contiguous [n, 1, h, w] buffer', async () => {
    const root = folder({ 'beta/c3/00.png': 60, 'alpha/c2/01.png': 40, 'alpha/c1/01.png': 20, 'alpha/c1/00.png': 10, 'alpha/c2/00.png': 30 });
    const data = await loadImageFolder(root, gray1);
    expect(data.classNames).toEqual(['alpha/c1', 'alpha/c2', 'beta/c3']);
    expect(data.groupNames).toEqual(['alpha', 'beta']);
    expect(Array.from(data.labels)).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(data.groups)).toEqual([0, 0, 0, 0, 1]);
    expect(data.paths).toEqual(['alpha/c1/00.png', 'alpha/c1/01.png', 'alpha/c2/00.png', 'alpha/c2/01.png', 'beta/c3/00.png'].map((p) => join(root, p)));
    expect([data.count, data.imageSize, data.images.length, data.warnings]).toEqual([5, 4, 20, []]);
    expect(data.preprocessing).toEqual({ height: 2, width: 2, channels: 1, layout: 'nchw', scale: 1 / 255, mean: [0], std: [1], invert: false, resize: 'area' });
    // Each image is its gray level / 255 (luma of r = g = b is the level to within float rounding).
    [10, 20, 30, 40, 60].forEach((level, i) => data.images.subarray(i * 4, i * 4 + 4).forEach((v) => expect(v).toBeCloseTo(level / 255, 6)));
  });

  test('a flat folder: every class in the one group "."', async () => {
    const data = await loadImageFolder(folder({ 'b/x.png': 1, 'a/y.png': 2, 'a/z.png': 3 }), gray1);
    expect([data.classNames, data.groupNames, Array.from(data.labels), Array.from(data.groups)]).toEqual([['a', 'b'], ['.'], [0, 0, 1], [0, 0, 0]]);
  });

  test('RGB, NHWC, a target size, and the model-style options (mean, std, invert)', async () => {
    const root = newDir();
    // 2×2: red, green / blue, white → 1×1 is the mean colour of the four.
    writePng(join(root, 'k', 'a.png'), 2, 2, (i) => ([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]] as const)[i]!.slice() as [number, number, number]);
    const data = await loadImageFolder(root, { channels: 3, sizeMismatch: 'refuse', height: 1, width: 1, layout: 'nhwc', scale: 1, mean: [127.5], std: [127.5], invert: false });
    expect(Array.from(data.images)).toEqual([0, 0, 0]); // each channel: (510/4 − 127.5) / 127.5
    const inverted = await loadImageFolder(root, { channels: 1, sizeMismatch: 'refuse', invert: true });
    expect(inverted.images[3]).toBeCloseTo(0, 6); // white → 1 − 1
  });

  test('empty class folders and other files: skipped with one warning each, or refused', async () => {
    const root = folder({ 'a/x.png': 1, 'a/notes.txt': 'hi', 'README.md': 'about', 'b/y.PNG': 2, 'c/.keep': '' });
    mkdirSync(join(root, 'd'));
    const data = await loadImageFolder(root, gray1);
    expect(data.classNames).toEqual(['a', 'b']);
    expect(data.skippedClasses).toEqual(['c', 'd']);
    expect(data.skippedFiles).toEqual(['README.md', 'a/notes.txt', 'c/.keep']);
    expect(data.warnings).toEqual([
      'skipped 2 class folders without PNG or JPEG files: "c", "d"',
      'skipped 3 files that are not .png, .jpg or .jpeg: "README.md", "a/notes.txt", "c/.keep"',
    ]);
    await expect(loadImageFolder(root, { ...gray1, emptyClasses: 'refuse' })).rejects.toThrow(`[twinembed:data] image folder "${root}": expected at least one PNG or JPEG file in every class folder, got none in "c", "d"`);
    await expect(loadImageFolder(root, { ...gray1, nonImages: 'refuse' })).rejects.toThrow(`[twinembed:data] image folder "${root}": expected only .png, .jpg or .jpeg files, got 3 others: "README.md", "a/notes.txt", "c/.keep"`);
  });

  test('mixed sizes: refused naming the file, or resized to the first image\'s size', async () => {
    const root = folder({ 'a/0.png': 100 });
    writePng(join(root, 'b', '0.png'), 4, 3, gray(200));
    await expect(loadImageFolder(root, gray1)).rejects.toThrow(`[twinembed:data] "${join(root, 'b', '0.png')}" is 4×3, but "${join(root, 'a', '0.png')}" is 2×2: expected one image size`);
    const data = await loadImageFolder(root, { ...gray1, sizeMismatch: 'resize' });
    expect([data.preprocessing.height, data.preprocessing.width, data.images.length]).toEqual([2, 2, 8]);
    data.images.subarray(4).forEach((v) => expect(v).toBeCloseTo(200 / 255, 6));
  });

  test('a corrupt PNG: an error naming the file', async () => {
    const root = folder({ 'a/0.png': 1, 'a/1.png': 'not really' });
    await expect(loadImageFolder(root, gray1)).rejects.toThrow(`[twinembed:image] cannot decode "${join(root, 'a', '1.png')}": expected a PNG or JPEG file, got bytes starting 6e 6f 74 20`);
    const truncated = folder({ 'a/0.png': 1 });
    writePng(join(truncated, 'a', '1.png'), 2, 2, gray(1));
    const { readFileSync } = await import('node:fs');
    writeFileSync(join(truncated, 'a', '1.png'), readFileSync(join(truncated, 'a', '1.png')).subarray(0, 40));
    await expect(loadImageFolder(truncated, gray1)).rejects.toThrow(`[twinembed:image] cannot decode "${join(truncated, 'a', '1.png')}": `);
  });

  test('folders with no classes, and bad options', async () => {
    const empty = newDir();
    await expect(loadImageFolder(empty, gray1)).rejects.toThrow(`[twinembed:data] image folder "${empty}": expected one folder of PNG or JPEG images per class, got no subfolders`);
    const flat = folder({ 'x.png': 1, 'y.png': 2 });
    await expect(loadImageFolder(flat, gray1)).rejects.toThrow(`[twinembed:data] image folder "${flat}": expected images only in class folders (folders without subfolders), got 2 beside subfolders: "x.png", "y.png"`);
    const onlyEmpty = newDir();
    mkdirSync(join(onlyEmpty, 'a'));
    await expect(loadImageFolder(onlyEmpty, gray1)).rejects.toThrow('expected one folder of PNG or JPEG images per class, got only a folder without images');
    await expect(loadImageFolder(join(empty, 'nope'), gray1)).rejects.toThrow(`[twinembed:io] cannot read "${join(empty, 'nope')}": no such file or directory`);
    await expect(loadImageFolder(join(flat, 'x.png'), gray1)).rejects.toThrow(`[twinembed:data] image folder "${join(flat, 'x.png')}": expected a directory, got a file`);
    await expect(loadImageFolder(flat, { ...gray1, channels: 2 as 1 })).rejects.toThrow('[twinembed:data] channels: expected 1 or 3, got 2');
    await expect(loadImageFolder(flat, { ...gray1, sizeMismatch: 'crop' as 'resize' })).rejects.toThrow('[twinembed:data] sizeMismatch: expected "resize" or "refuse", got "crop"');
    await expect(loadImageFolder(flat, { ...gray1, height: 0 })).rejects.toThrow('[twinembed:data] height: expected a positive integer, got 0');
  });
});
