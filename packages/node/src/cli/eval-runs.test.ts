// `twinembed eval oneshot --runs` on runs in Lake's layout whose answers are known: a pixel-identity
// model on tiny one-hot drawings (no data needed), then the shipped models/omniglot on runs generated from
// the Omniglot background set, where 105×105 black-on-white files must embed like the 28×28 white-on-black ones.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createEmbedder, encodeModel, GraphBuilder, preprocessImage, type EmbedSpec } from '@twinembed/core';
import { writeLakeRuns, type WrittenRun } from '../../../../scripts/lib/lake-runs.js';
import { dataPath, REPO_ROOT } from '../../../../test/support/paths.js';
import { cli } from '../../../../test/support/run-cli.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { encodePng } from '../data/encode-png.js';
import { decodeImageFile } from '../embed/decode-image.js';
import { loadModelDirectory } from '../embed/model-directory.js';
import { nodeRuntime } from '../node-runtime.js';
import { runImageInput } from './eval-runs.js';

const newDir = tempDirs('eval-runs');
const two = (n: number) => String(n).padStart(2, '0');

/** Pixels [batch, 1, 4, 4] → the 16 pixels; head.onnx = −‖a − b‖²; the model takes dark strokes on white. */
function identityModel(): string {
  const dir = newDir();
  const b = new GraphBuilder();
  b.output(b.op.Flatten(b.input('pixels', 'float32', ['batch', 1, 4, 4]), { axis: 1 }), 'embedding');
  writeFileSync(join(dir, 'model.onnx'), encodeModel(b.toModel()));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify({ normalize: false, image: { ink: 'dark' } }));
  const h = new GraphBuilder();
  const d = h.op.Sub(h.input('a', 'float32', ['batch', 16]), h.input('b', 'float32', ['batch', 16]));
  h.output(h.op.Neg(h.op.ReduceSum(h.op.Mul(d, d), { axes: [1], keepdims: 0 })), 'logit');
  writeFileSync(join(dir, 'head.onnx'), encodeModel(h.toModel()));
  return dir;
}

/** A 4×4 white drawing with one black pixel. */
const dot = (pixel: number) => encodePng({ data: Uint8Array.from({ length: 16 }, (_, i) => (i === pixel ? 0 : 255)), width: 4, height: 4, channels: 1 });

/** runNN with `ways` classes: class k and the test item drawn as class k are the same dot; labels map item k → class answers[k]. */
function dotRun(root: string, name: string, drawnAs: number[], answers = drawnAs): void {
  for (const sub of ['training', 'test']) mkdirSync(join(root, name, sub), { recursive: true });
  drawnAs.forEach((c, k) => {
    writeFileSync(join(root, name, 'training', `class${two(k + 1)}.png`), dot(k));
    writeFileSync(join(root, name, 'test', `item${two(k + 1)}.png`), dot(c));
  });
  writeFileSync(join(root, name, 'class_labels.txt'), answers.map((c, k) => `${name}/test/item${two(k + 1)}.png ${name}/training/class${two(c + 1)}.png\n`).join(''));
}

describe('eval oneshot --runs, known answers', () => {
  test('identical test and training drawings: 100%; labels swapped on 2 of 4 items: 50%; by distance and by the pair head', async () => {
    const root = newDir();
    dotRun(root, 'run01', [2, 0, 3, 1]);
    dotRun(root, 'run02', [1, 0, 3, 2], [0, 1, 3, 2]); // items 1 and 2 labelled with each other's class
    for (const scorer of [['--metric', 'euclidean'], ['--metric', 'cosine'], ['--head']]) {
      const { code, out, err } = await cli('eval', 'oneshot', '--model', identityModel(), '--runs', root, ...scorer, '--json');
      expect([code, err]).toEqual([0, '']);
      expect(JSON.parse(out)).toEqual({
        accuracy: 0.75, correct: 6, trials: 8, scorer: scorer[1] ?? 'head',
        runs: [{ run: 'run01', accuracy: 1, correct: 4, trials: 4 }, { run: 'run02', accuracy: 0.5, correct: 2, trials: 4 }],
      });
    }
    const text = await cli('eval', 'oneshot', '--model', identityModel(), '--runs', join(root, 'run02'));
    expect(text).toEqual({ code: 0, err: '', out: 'run02  50.00%  (2/4)\none-shot runs: accuracy 50.00% (2/4 trials, 1 run, euclidean)\n' });
  });

  test('every label pointing at another class: 0%; a tie among k classes that includes the labelled one counts 1/k', async () => {
    const root = newDir();
    dotRun(root, 'run01', [0, 1, 2], [1, 2, 0]);
    const wrong = await cli('eval', 'oneshot', '--model', identityModel(), '--runs', root, '--json');
    expect(JSON.parse(wrong.out)).toMatchObject({ accuracy: 0, correct: 0, trials: 3 });
    // Classes 1 and 2 now hold the same dot, item 1's: item 1 ties between them (labelled class 2: ½); item 2's dot
    // is equally far from all three (labelled class 3: ⅓); item 3 is class 3's dot (labelled class 1: 0).
    writeFileSync(join(root, 'run01', 'training', 'class02.png'), dot(0));
    const tied = JSON.parse((await cli('eval', 'oneshot', '--model', identityModel(), '--runs', root, '--json')).out);
    expect(tied.correct).toBeCloseTo(1 / 2 + 1 / 3, 12);
  });

  test('the images are turned to the polarity the model takes', async () => {
    const path = join(newDir(), 'x.png');
    writeFileSync(path, dot(5));
    const image = { height: 4, width: 4, channels: 1 as const, layout: 'nchw' as const, scale: 1 / 255, mean: [0], std: [1], invert: false };
    const light = await runImageInput(path, { ink: 'dark', image: { ...image, ink: 'light' } });
    expect(Array.from(light)).toEqual(Array.from({ length: 16 }, (_, i) => (i === 5 ? 1 : 0)));
    const dark = await runImageInput(path, { ink: 'dark', image: { ...image, ink: 'dark' } });
    expect(Array.from(dark)).toEqual(Array.from({ length: 16 }, (_, i) => (i === 5 ? 0 : 1)));
  });

  test('bad usage: --runs with episode options, --runs-ink alone, a model that states no ink, a bad run', async () => {
    const root = newDir();
    dotRun(root, 'run01', [0, 1]);
    const model = identityModel();
    expect(await cli('eval', 'oneshot', '--model', model, '--runs', root, '--ways', '5')).toMatchObject({ code: 2, err: "error: option '--runs <dir>' cannot be used with option '--ways <n>'\n(run with --help for usage)\n" });
    expect(await cli('eval', 'oneshot', '--model', model, '--data', root, '--runs', root)).toMatchObject({ code: 2, err: expect.stringMatching(/^error: option '--(runs <dir>|data <dir>)' cannot be used with option '--(data|runs) <dir>'\n/) });
    expect(await cli('eval', 'oneshot', '--model', model, '--data', root, '--runs-ink', 'light')).toEqual({ code: 2, out: '', err: '[twinembed:cli] eval oneshot: --runs-ink applies to --runs only\n' });
    expect(await cli('eval', 'oneshot', '--model', model)).toEqual({ code: 2, out: '', err: "[twinembed:cli] eval oneshot: expected --data <dir> (an image folder of classes) or --runs <dir> (Lake's one-shot runs), got neither\n" });
    writeFileSync(join(model, 'twinembed.json'), JSON.stringify({ normalize: false }));
    expect(await cli('eval', 'oneshot', '--model', model, '--runs', root)).toEqual({ code: 2, out: '', err: `[twinembed:cli] --runs: "${model}" does not say which strokes the model takes: add "image": {"ink": "light"} to its twinembed.json (strokes lighter than the background, as MNIST) or "dark" (as Lake's runs)\n` });
    writeFileSync(join(root, 'run01', 'class_labels.txt'), 'run01/test/item01.png\n');
    const bad = await cli('eval', 'oneshot', '--model', identityModel(), '--runs', root);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^\[twinembed:data\] ".*class_labels\.txt" line 1: expected "<test image> <training image>".*\n$/);
  });
});

const BACKGROUND_105 = dataPath('omniglot105', 'background');
const BACKGROUND_28 = dataPath('omniglot28', 'background');
const SHIPPED = join(REPO_ROOT, 'models', 'omniglot');
const present = existsSync(BACKGROUND_105) && existsSync(BACKGROUND_28) && existsSync(join(SHIPPED, 'model.onnx'));

/** models/omniglot as shipped; if its twinembed.json states no ink, a copy saying "light" (it trains on omniglot28: white strokes on black). */
function shippedModel(): string {
  const manifest = JSON.parse(readFileSync(join(SHIPPED, 'twinembed.json'), 'utf8'));
  if (manifest.image?.ink !== undefined) return SHIPPED;
  const dir = newDir();
  copyFileSync(join(SHIPPED, 'model.onnx'), join(dir, 'model.onnx'));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify({ ...manifest, image: { ...manifest.image, ink: 'light' } }));
  return dir;
}

const drawings = (runs: readonly WrittenRun[]) => runs.flatMap((r) => r.classes.flatMap((_, k) => [`${r.name}/training/class${two(k + 1)}.png`, `${r.name}/test/item${two(k + 1)}.png`]));

describe.skipIf(!present)(`models/omniglot on runs generated in Lake's layout${present ? '' : ` (skipped: ${BACKGROUND_105}, ${BACKGROUND_28} or ${SHIPPED} is absent)`}`, () => {
  let runs105: string;
  let runs28: string;
  let written: WrittenRun[];
  beforeAll(async () => {
    [runs105, runs28] = [newDir(), newDir()];
    const choice = { runs: 2, seed: 7, sourceInk: 'light' as const };
    written = await writeLakeRuns({ ...choice, from: BACKGROUND_105, to: runs105 }); // dark on white, 1-bit: Lake's own format
    await writeLakeRuns({ ...choice, from: BACKGROUND_28, to: runs28, ink: 'light' }); // the same drawings as the model trains on
  });

  test('the generated runs are Lake\'s layout: 105×105 1-bit PNGs, black strokes on white, 20 trials per run', async () => {
    const item = readFileSync(join(runs105, 'run01', 'test', 'item01.png'));
    expect([item.readUInt32BE(16), item.readUInt32BE(20), item[24], item[25]]).toEqual([105, 105, 1, 0]); // width, height, bit depth 1, grayscale
    const image = await decodeImageFile(join(runs105, 'run01', 'training', 'class01.png'));
    const gray = Array.from({ length: 105 * 105 }, (_, i) => image.data[4 * i]!);
    expect(gray.filter((v) => v === 255).length).toBeGreaterThan(gray.length / 2); // mostly white paper
    expect(readFileSync(join(runs105, 'run02', 'class_labels.txt'), 'utf8').split('\n')[0]).toMatch(/^run02\/test\/item01\.png run02\/training\/class\d\d\.png$/);
  });

  test('105×105 black-on-white embeds like the 28×28 white-on-black files: the same bytes but for their 8-bit rounding', async () => {
    const model = shippedModel();
    const embedder = await createEmbedder({ runtime: nodeRuntime(), model: await loadModelDirectory(model) });
    try {
      const { image } = embedder.spec as Extract<EmbedSpec, { modality: 'image' }>;
      const names = drawings(written);
      const large = await Promise.all(names.map((n) => runImageInput(join(runs105, n), { ink: 'dark', image })));
      const small = await Promise.all(names.map(async (n) => preprocessImage(await decodeImageFile(join(runs28, n)), image)));
      // The area average is exact; the 28×28 files hold it rounded to 8 bits, so pixels differ by < 0.5/255
      // (at most (0.5 − 1/30)/255: 255·mean is a multiple of 17/15, never within 1/30 of a half).
      const rounded = large.map((x) => Float32Array.from(x, (v) => Math.round(255 * v) * (1 / 255)));
      rounded.forEach((x, i) => expect(x).toEqual(small[i]));
      const pixelGap = Math.max(...large.map((x, i) => maxAbsDiff(x, small[i]!)));
      expect(pixelGap).toBeLessThanOrEqual((0.5 - 1 / 30) / 255 + 1e-7);
      const [fromLarge, fromRounded, fromSmall] = [await embedder.embedMatrix(large), await embedder.embedMatrix(rounded), await embedder.embedMatrix(small)];
      expect(fromRounded).toEqual(fromSmall); // rounded, the inputs are identical: so are the embeddings
      // Unrounded, the embeddings move by about what the pixels did (8.5e-4 measured with the 32-d model of
      // 2026-12-08, pixels 1.8e-3); the bound allows a model 5× as steep. Bilinear 105 → 28 moved them by 0.26.
      expect(maxAbsDiff(fromLarge, fromSmall)).toBeLessThan(1e-2);
    } finally {
      await embedder.dispose();
    }
  });

  test('identical test and training drawings score 100%; labels shifted to the next class score 0%', async () => {
    const model = shippedModel();
    for (const run of written) {
      run.answers.forEach((c, k) => copyFileSync(join(runs105, run.name, 'training', `class${two(c + 1)}.png`), join(runs105, run.name, 'test', `item${two(k + 1)}.png`)));
    }
    const same = await cli('eval', 'oneshot', '--model', model, '--runs', runs105, '--json');
    expect([same.code, same.err]).toEqual([0, '']);
    expect(JSON.parse(same.out)).toMatchObject({ accuracy: 1, correct: 40, trials: 40, runs: [{ run: 'run01', correct: 20 }, { run: 'run02', correct: 20 }] });
    const shifted = written[0]!.answers.map((c, k) => `run01/test/item${two(k + 1)}.png run01/training/class${two(((c + 1) % 20) + 1)}.png\n`);
    writeFileSync(join(runs105, 'run01', 'class_labels.txt'), shifted.join(''));
    const wrong = await cli('eval', 'oneshot', '--model', model, '--runs', join(runs105, 'run01'), '--json');
    expect(JSON.parse(wrong.out)).toMatchObject({ accuracy: 0, correct: 0, trials: 20 });
  });
});

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
