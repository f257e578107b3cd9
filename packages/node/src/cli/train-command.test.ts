// `twinembed train` end to end on a tiny synthetic image folder (16×16 glyphs: each class a seeded
// random blob, its images shifted copies with noise), fast enough for every test run: --quick.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { seededRandom } from '@twinembed/core';
import { encodePng } from '../data/encode-png.js';
import { cli } from '../../../../test/support/run-cli.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';

const newDir = tempDirs('train-cli');
const SIDE = 16;

/** <root>/<group>/c<k>/<i>.png: `classes` classes per group, `per` images each; class k's glyph is the same in every folder made with `seed`. */
function glyphFolder(groups: string[], classes: number, per: number, seed: number): string {
  const root = newDir();
  const rng = seededRandom(seed);
  groups.forEach((group, g) => {
    for (let c = 0; c < classes; c++) {
      const glyph = Array.from({ length: 8 * 8 }, () => (rng() < 0.4 ? 255 : 0));
      mkdirSync(join(root, group, `c${g * classes + c}`), { recursive: true });
      for (let i = 0; i < per; i++) {
        const [dx, dy] = [4 + Math.floor(rng() * 2), 4 + Math.floor(rng() * 2)];
        const data = new Uint8Array(SIDE * SIDE);
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) data[(y + dy) * SIDE + x + dx] = glyph[y * 8 + x]!;
        for (let p = 0; p < data.length; p++) if (rng() < 0.03) data[p] = 255 - data[p]!;
        writeFileSync(join(root, group, `c${g * classes + c}`, `${i}.png`), encodePng({ data, width: SIDE, height: SIDE, channels: 1 }));
      }
    }
  });
  return root;
}

const quick = ['--quick', '--size', String(SIDE), '--ways', '4', '--m-per-class', '2', '--val-ways', '4', '--json'];

describe('twinembed train', () => {
  test('--quick with held-out groups: a model directory, log, plot and best checkpoint; `eval oneshot` scores the model as training validated it', async () => {
    const data = glyphFolder(['alpha', 'beta', 'gamma'], 5, 4, 1);
    const out = join(newDir(), 'model');
    const run = await cli('train', '--data', data, '--out', out, ...quick, '--val-groups', '1', '--within-alphabet', '--augment');
    expect([run.code, run.err]).toEqual([0, '']);
    const lines = run.out.trim().split('\n').map((l) => JSON.parse(l));
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ out, steps: 60, stoppedEarly: false });
    const log = lines.slice(0, -1);
    expect(log.map((e) => e.step)).toEqual([20, 40, 60]);
    for (const e of log) expect(e.validation).toBeGreaterThanOrEqual(0);
    expect(summary.bestValidationAccuracy).toBe(Math.max(...log.map((e) => e.validation)));
    for (const f of ['model.onnx', 'twinembed.json', 'checkpoint.safetensors', 'training.json', 'training.jsonl', 'training.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8'));
    expect(report).toMatchObject({ encoder: 'conv4', channels: 16, loss: 'MultipleNegativesRankingLoss', seed: 0, bestStep: summary.bestStep, data: { images: 60, classes: 15, groups: 3 } });
    expect(report.validation.groups).toHaveLength(1);
    // light glyphs on black: the manifest says so, for drawings of the other polarity to be inverted
    expect(JSON.parse(readFileSync(join(out, 'twinembed.json'), 'utf8')).image).toEqual({ size: SIDE, channels: 1, ink: 'light' });
    expect(readFileSync(join(out, 'training.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(readFileSync(join(out, 'training.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*<polyline[\s\S]*<\/svg>\n$/);

    // the held-out group alone, through the model-directory loader and the eval command: same episodes (seed 0), same score
    const heldOut = join(newDir(), 'heldout');
    mkdirSync(heldOut);
    const group = report.validation.groups[0];
    for (const c of ['0', '1', '2', '3', '4']) {
      const cls = `c${['alpha', 'beta', 'gamma'].indexOf(group) * 5 + Number(c)}`;
      mkdirSync(join(heldOut, group, cls), { recursive: true });
      for (let i = 0; i < 4; i++) writeFileSync(join(heldOut, group, cls, `${i}.png`), readFileSync(join(data, group, cls, `${i}.png`)));
    }
    const evaluated = await cli('eval', 'oneshot', '--model', out, '--data', heldOut, '--ways', '4', '--episodes', '50', '--within-alphabet', '--metric', report.metric, '--json');
    expect([evaluated.code, evaluated.err]).toEqual([0, '']);
    expect(JSON.parse(evaluated.out).accuracy).toBeCloseTo(summary.bestValidationAccuracy, 12);
  });

  // measured at seed 0: BatchAllTripletLoss 4.75 → 3.79, MultipleNegativesRankingLoss 1.20 → 0.58 (mean loss of steps 1–20 → 41–60)
  test.each([['BatchAllTripletLoss', 0.9], ['MultipleNegativesRankingLoss', 0.7]])('the loss goes down on learnable data (%s, 60 steps)', async (loss, ratio) => {
    const data = glyphFolder(['all'], 12, 6, 2);
    const run = await cli('train', '--data', data, '--out', join(newDir(), 'm'), ...quick, '--val-classes', '4', '--loss', loss);
    expect([run.code, run.err]).toEqual([0, '']);
    const log = run.out.trim().split('\n').slice(0, -1).map((l) => JSON.parse(l));
    expect(log[2].loss).toBeLessThan(ratio * log[0].loss);
  });

  test('--self-supervised: every image its own class, positives by augmentation; validated on a labeled --val-dir', async () => {
    const run = await cli('train', '--data', glyphFolder(['all'], 6, 3, 3), '--val-dir', glyphFolder(['v'], 4, 3, 4), '--out', join(newDir(), 'm'),
      ...quick, '--loss', 'MultipleNegativesRankingLoss', '--self-supervised', '--augment', '--steps', '20', '--validate-every', '10');
    expect([run.code, run.err]).toEqual([0, '']);
    expect(JSON.parse(run.out.trim().split('\n').at(-1)!)).toMatchObject({ steps: 20 });
  });

  test('--val-group-names holds out the named groups; --rotations quadruples the training classes', async () => {
    const data = glyphFolder(['alpha', 'beta', 'gamma'], 5, 4, 9);
    const out = join(newDir(), 'model');
    const run = await cli('train', '--data', data, '--out', out, ...quick, '--steps', '4', '--validate-every', '2', '--val-group-names', 'gamma,alpha', '--within-alphabet', '--rotations');
    expect([run.code, run.err]).toEqual([0, '']);
    const report = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8'));
    expect(report.validation).toMatchObject({ groups: ['alpha', 'gamma'], images: 40 });
    expect(report.trainClasses).toBe(20);
    expect(report.ink).toBe('light');
    const dark = join(newDir(), 'dark');
    expect((await cli('train', '--data', data, '--out', dark, ...quick, '--steps', '2', '--validate-every', '2', '--val-classes', '4', '--ink', 'dark')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dark, 'twinembed.json'), 'utf8')).image.ink).toBe('dark');
    const refused = await cli('train', '--data', data, '--out', join(newDir(), 'm'), ...quick, '--steps', '4', '--val-group-names', 'beta', '--within-alphabet', '--val-ways', '6');
    expect([refused.code, refused.err]).toEqual([2, '[twinembed:cli] train: --val-group-names: a within-alphabet 6-way episode needs 6 classes, got beta (5)\n']);
  });

  test('KochBCE writes its pair head: `eval --head` scores with it', async () => {
    const data = glyphFolder(['all'], 12, 4, 7);
    const out = join(newDir(), 'koch');
    const run = await cli('train', '--data', data, '--out', out, ...quick, '--size', '20', '--encoder', 'koch', '--loss', 'KochBCE', '--batch-size', '8', '--steps', '10', '--validate-every', '10', '--val-classes', '4');
    expect([run.code, run.err]).toEqual([0, '']);
    expect(existsSync(join(out, 'head.onnx'))).toBe(true);
    const evaluated = await cli('eval', 'oneshot', '--model', out, '--data', data, '--ways', '4', '--episodes', '20', '--head', '--json');
    expect([evaluated.code, evaluated.err]).toEqual([0, '']);
    expect(JSON.parse(evaluated.out)).toMatchObject({ scorer: 'head', ways: 4 });
  });

  test.each([
    [['--steps', '5', '--epochs', '1', '--val-classes', '2'], /expected exactly one of --steps N or --epochs E/],
    [['--steps', '5'], /expected exactly one of --val-groups N, --val-group-names A,B, --val-classes N or --val-dir DIR, got none/],
    [['--steps', '5', '--val-group-names', 'omega'], /--val-group-names: expected group folders of .*, got "omega" \(groups: all\)/],
    [['--steps', '5', '--val-group-names', 'all'], /validation: expected examples both held out and left to train on, got 24 held out and 0/],
    [['--steps', '5', '--val-classes', '2', '--rotations', '--self-supervised', '--augment'], /--rotations turns labeled classes, expected no --self-supervised/],
    [['--steps', '5', '--val-classes', '2', '--self-supervised'], /--self-supervised makes positives by augmentation, expected --augment/],
    [['--steps', '5', '--val-classes', '12'], /validation: expected between 1 and 11 classes to hold out/],
    [['--steps', '5', '--val-groups', '1'], /validation: expected between 1 and 0 groups/],
    [['--steps', '5', '--val-classes', '2', '--encoder', 'koch', '--channels', '8'], /--channels is a conv4 option/],
  ])('bad input %j: one line, exit 2, nothing written', async (args, message) => {
    const out = join(newDir(), 'never');
    const run = await cli('train', '--data', glyphFolder(['all'], 12, 2, 5), '--out', out, '--size', String(SIDE), ...args);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  test('classes too small to sample are reported, not silently dropped', async () => {
    const data = glyphFolder(['all'], 12, 3, 8);
    for (const c of ['c0', 'c1']) for (const i of [1, 2]) rmSync(join(data, 'all', c, `${i}.png`));
    const run = await cli('train', '--data', data, '--out', join(newDir(), 'm'), ...quick, '--loss', 'BatchAllTripletLoss', '--m-per-class', '2', '--steps', '2', '--validate-every', '2', '--val-classes', '4', '--val-ways', '3', '--seed', '3');
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^\[twinembed:train\] [12] of 8 training classes are never sampled \(fewer than --m-per-class 2 images/);
  });

  test('an empty class folder is skipped with a warning; a missing data folder is one line', async () => {
    const data = glyphFolder(['all'], 12, 3, 6);
    mkdirSync(join(data, 'all', 'empty'));
    const run = await cli('train', '--data', data, '--out', join(newDir(), 'm'), ...quick, '--steps', '2', '--validate-every', '2', '--val-classes', '4');
    expect(run.code).toBe(0);
    expect(run.err).toBe('skipped 1 class folder without PNG or JPEG files: "all/empty"\n');
    const missing = await cli('train', '--data', join(data, 'nope'), '--out', join(newDir(), 'm'), ...quick, '--val-classes', '2');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file or directory/);
  });
});
