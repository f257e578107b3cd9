// `twinembed eval` on tiny folders whose answers are known: each class's images are one distinct
// one-hot 4×4 image, so a pixel-identity "encoder" embeds every image as its class code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { encodeModel, GraphBuilder, verificationPairs } from '@twinembed/core';
import { cli } from '../../../../test/support/run-cli.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';

const newDir = tempDirs('eval-cli');

/** model.onnx: pixels [batch, 1, 4, 4] → embedding = the 16 pixels; optionally head.onnx = −‖a − b‖². */
function modelDir(head = false): string {
  const dir = newDir();
  const b = new GraphBuilder();
  b.output(b.op.Flatten(b.input('pixels', 'float32', ['batch', 1, 4, 4]), { axis: 1 }), 'embedding');
  writeFileSync(join(dir, 'model.onnx'), encodeModel(b.toModel()));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify({ normalize: false }));
  if (head) {
    const h = new GraphBuilder();
    const d = h.op.Sub(h.input('a', 'float32', ['batch', 16]), h.input('b', 'float32', ['batch', 16]));
    h.output(h.op.Neg(h.op.ReduceSum(h.op.Mul(d, d), { axes: [1], keepdims: 0 })), 'logit');
    writeFileSync(join(dir, 'head.onnx'), encodeModel(h.toModel()));
  }
  return dir;
}

function writePng(path: string, size: number, bright: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) png.data.set(i === bright ? [255, 255, 255, 255] : [0, 0, 0, 255], i * 4);
  writeFileSync(path, PNG.sync.write(png));
}

/** classes: folder path → the pixel lit in all of its `perClass` images. */
function imageFolder(classes: Record<string, number>, perClass = 3): string {
  const root = newDir();
  for (const [name, bright] of Object.entries(classes)) for (let k = 0; k < perClass; k++) writePng(join(root, name, `${k}.png`), 4, bright);
  return root;
}

const eightCodes = Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`${k < 4 ? 'alpha' : 'beta'}/c${k}`, k]));
/** c2 and c3 share a code: their queries tie between the two, each worth ½, so 4-way accuracy is exactly 3/4. */
const sharedCode = { 'a/c0': 0, 'a/c1': 1, 'a/c2': 2, 'a/c3': 2 };

describe('twinembed eval oneshot', () => {
  test.each(['euclidean', 'cosine'])('class codes: accuracy 1 (%s), within alphabets', async (metric) => {
    const { code, out, err } = await cli('eval', 'oneshot', '--model', modelDir(), '--data', imageFolder(eightCodes), '--ways', '4', '--episodes', '50', '--within-alphabet', '--metric', metric, '--json');
    expect([code, err]).toEqual([0, '']);
    expect(JSON.parse(out)).toEqual({ accuracy: 1, ci95: 0, ways: 4, shots: 1, episodes: 50, withinAlphabet: true, scorer: metric, seed: 0, images: 24, classes: 8 });
  });

  test('a shared code: exactly 3/4, by distance and by the pair head; a human-readable line without --json', async () => {
    const args = ['eval', 'oneshot', '--model', modelDir(true), '--data', imageFolder(sharedCode), '--ways', '4', '--shots', '2', '--episodes', '20'];
    for (const extra of [['--json'], ['--head', '--json']]) {
      const { code, out, err } = await cli(...args, ...extra);
      expect([code, err]).toEqual([0, '']);
      expect(JSON.parse(out)).toMatchObject({ accuracy: 0.75, ci95: 0, shots: 2, scorer: extra.length === 2 ? 'head' : 'euclidean' });
    }
    const { out } = await cli(...args);
    expect(out).toBe('4-way 2-shot accuracy 75.00% ± 0.00% (95% interval, 20 episodes, euclidean; 4 classes)\n');
  });

  test('empty class folders, classes with too few images and other files: left out with notes', async () => {
    const root = imageFolder({ 'a/c0': 0, 'a/c1': 1, 'a/c2': 2 });
    writePng(join(root, 'a', 'small', '0.png'), 4, 3);
    mkdirSync(join(root, 'a', 'empty'));
    writeFileSync(join(root, 'a', 'c0', 'notes.txt'), 'x');
    const { code, out, err } = await cli('eval', 'oneshot', '--model', modelDir(), '--data', root, '--ways', '3', '--episodes', '5', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ accuracy: 1, images: 10, classes: 3 });
    expect(err.split('\n')).toEqual([
      '[twinembed:data] skipped 1 class folder without PNG or JPEG files: "a/empty"',
      '[twinembed:data] skipped 1 file that are not .png, .jpg or .jpeg: "a/c0/notes.txt"',
      '[twinembed:eval] left out 1 of 4 classes with fewer than 2 images (shots + 1): "a/small"',
      '',
    ]);
  });

  const cases: [string, () => string[], RegExp][] = [
    ['too few classes with enough images', () => ['--data', imageFolder({ a: 0, b: 1, c: 2 }, 2), '--shots', '2', '--ways', '3'], /^\[twinembed:eval\] cannot build 3-way 2-shot episodes: expected ≥ 3 classes with ≥ 3 examples each \(shots \+ 1\), got 0 of 3 classes\n$/],
    ['no alphabet with enough classes', () => ['--data', imageFolder(eightCodes), '--ways', '5', '--within-alphabet'], /^\[twinembed:eval\] cannot build 5-way 1-shot episodes within groups: expected a group with ≥ 5 classes of ≥ 2 examples each \(shots \+ 1\), got at most 4 in any of 2 groups/],
    ['mixed image sizes', () => ['--data', mixedSizes()], /^\[twinembed:data\] ".*b\/0.png" is 5×5, but ".*a\/0.png" is 4×4: expected one image size/],
    ['--strict and an empty class folder', () => ['--data', withEmptyClass(), '--strict'], /^\[twinembed:data\] image folder ".*": expected at least one PNG or JPEG file in every class folder, got none in "empty"\n$/],
    ['--strict and a file that is not an image', () => ['--data', withTextFile(), '--strict'], /^\[twinembed:data\] image folder ".*": expected only .png, .jpg or .jpeg files, got 1 others: "a\/notes.txt"\n$/],
    ['--head without head.onnx', () => ['--data', imageFolder(sharedCode), '--head', '--ways', '4'], /^\[twinembed:cli\] --head: expected head.onnx in ".*" \(a pair head: two \[batch, dim\] float inputs → one score per pair\), got none\n$/],
    ['a folder with no classes', () => ['--data', newDir()], /^\[twinembed:data\] image folder ".*": expected one folder of PNG or JPEG images per class, got no subfolders\n$/],
  ];

  function mixedSizes(): string {
    const root = imageFolder({ a: 0, c: 2 });
    writePng(join(root, 'b', '0.png'), 5, 1);
    return root;
  }
  function withEmptyClass(): string {
    const root = imageFolder({ a: 0, b: 1 });
    mkdirSync(join(root, 'empty'));
    return root;
  }
  function withTextFile(): string {
    const root = imageFolder({ a: 0, b: 1 });
    writeFileSync(join(root, 'a', 'notes.txt'), 'x');
    return root;
  }

  test.each(cases)('%s: one line, exit code 2', async (_, args, message) => {
    const { code, out, err } = await cli('eval', 'oneshot', '--model', modelDir(), '--ways', '2', ...args());
    expect(err).toMatch(message);
    expect([code, out, err.trim().split('\n').length]).toEqual([2, '', 1]);
  });

  test('--size-mismatch resize accepts mixed sizes', async () => {
    const { code, out, err } = await cli('eval', 'oneshot', '--model', modelDir(), '--data', mixedSizes(), '--ways', '2', '--episodes', '3', '--size-mismatch', 'resize', '--json');
    expect([code, err]).toEqual([0, '[twinembed:eval] left out 1 of 3 classes with fewer than 2 images (shots + 1): "b"\n']);
    expect(JSON.parse(out)).toMatchObject({ accuracy: 1, images: 7, classes: 2 });
  });
});

describe('twinembed eval verification', () => {
  test('class codes: ROC-AUC 1 and accuracy 1 at distance 0', async () => {
    const { code, out, err } = await cli('eval', 'verification', '--model', modelDir(), '--data', imageFolder(eightCodes), '--pairs', '200', '--json');
    expect([code, err]).toEqual([0, '']);
    expect(JSON.parse(out)).toEqual({ rocAuc: 1, accuracy: 1, threshold: 0, rule: 'same when distance ≤ threshold', pairs: 200, scorer: 'euclidean', seed: 0, images: 24, classes: 8 });
  });

  test('a shared code: the different pairs across the two sharing classes tie with the same pairs (each ½)', async () => {
    const data = imageFolder(sharedCode);
    const { code, out, err } = await cli('eval', 'verification', '--model', modelDir(true), '--data', data, '--pairs', '400', '--seed', '3', '--head', '--json');
    expect([code, err]).toEqual([0, '']);
    // Labels in folder order: c0, c0, c0, c1, …; classes 2 and 3 share a code.
    const labels = Int32Array.from({ length: 12 }, (_, i) => Math.floor(i / 3));
    const pairs = verificationPairs({ labels, pairs: 400, seed: 3 });
    let tiedDifferent = 0;
    pairs.same.forEach((same, k) => {
      if (!same && labels[pairs.first[k]!]! >= 2 && labels[pairs.second[k]!]! >= 2) tiedDifferent++;
    });
    expect(tiedDifferent).toBeGreaterThan(10);
    const result = JSON.parse(out);
    expect(result.rocAuc).toBeCloseTo(1 - tiedDifferent / 200 / 2, 12);
    expect(result.accuracy).toBeCloseTo(1 - tiedDifferent / 400, 12);
    expect([result.threshold, result.scorer]).toEqual([0, 'head']);
  });
});
