// `twinembed finetune` with several --data files (bert-tiny-a): round-robin batches, one train step
// per loss over shared weights, resumable like one data set; public pair files (STS-B) as --data.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeModel, tensorValues } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { cli } from '../../../../test/support/run-cli.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { CHECKPOINT_FILE, REPORT_FILE } from './finetune-command.js';

const newDir = tempDirs('finetune-datasets');
const fixture = (f: string) => sharedPath('fixtures', 'bert-tiny-a', f);

function setup() {
  const model = newDir();
  mkdirSync(join(model, 'hf'));
  copyFileSync(fixture('model.dynamo.onnx'), join(model, 'model.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture(`hf/${f}`), join(model, 'hf', f));
  writeFileSync(join(model, 'twinembed.json'), JSON.stringify({ tokenizer: 'hf', pooling: 'mean', normalize: false }));
  const { pairs, triplets } = JSON.parse(readFileSync(fixture('batches.json'), 'utf8')) as { pairs: { a: string[]; b: string[]; score: number[] }; triplets: { anchor: string[]; positive: string[] } };
  const write = (name: string, rows: object[]) => (writeFileSync(join(model, name), rows.map((r) => JSON.stringify(r)).join('\n')), join(model, name));
  const scored = pairs.a.map((a, i) => ({ sentence1: a, sentence2: pairs.b[i]!, score: pairs.score[i]! }));
  const sts = join(model, 'pairs.csv');
  writeFileSync(sts, scored.map((r, i) => ['main-forums', 'x', '2014', String(i), (5 * r.score).toFixed(3), r.sentence1, r.sentence2].join('\t')).join('\n'));
  return { model, scored: write('scored.jsonl', scored), sts, positives: write('positives.jsonl', triplets.anchor.map((anchor, i) => ({ anchor, positive: triplets.positive[i] }))) };
}

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const floats = (dir: string) => new Map(decodeModel(readFileSync(join(dir, 'model.onnx'))).graph!.initializer!.filter((t) => t.dataType === 1)
  .map((t) => [t.name!, Buffer.from((tensorValues(t) as Float32Array).buffer)]));

describe.skipIf(!hasShared)('twinembed finetune with several --data files (bert-tiny-a)', () => {
  const files = hasShared ? setup() : { model: '', scored: '', sts: '', positives: '' };
  const two = ['--data', files.scored, '--loss', 'CoSENTLoss', '--data', files.positives, '--loss', 'MultipleNegativesRankingLoss'];
  const base = (out: string, ...more: string[]) => ['finetune', '--model', files.model, ...more, '--optimizer', 'adamw', '--lr', '0.01', '--batch-size', '4', '--seed', '3', '--out', out, '--json'];

  test('one batch of each data set in turn; the epoch ends when the smaller runs out; both losses move the weights', async () => {
    // 16 scored pairs → 4 batches, 8 positives → 2: turns A B A B A, then B has none left.
    const dir = newDir();
    const run = await cli(...base(join(dir, 'out'), ...two, '--epochs', '1'));
    expect([run.code, run.err]).toEqual([0, '']);
    const steps = lines(run.out).filter((l) => 'step' in l);
    expect(steps.map((l) => [l.step, l.task])).toEqual([[1, 0], [2, 1], [3, 0], [4, 1], [5, 0]]);
    const report = JSON.parse(readFileSync(join(dir, 'out', REPORT_FILE), 'utf8'));
    expect(report.datasets).toEqual([
      { data: files.scored, format: 'jsonl', loss: 'CoSENTLoss', rows: 16, columns: ['sentence1', 'sentence2', 'score'] },
      { data: files.positives, format: 'jsonl', loss: 'MultipleNegativesRankingLoss', rows: 8, columns: ['anchor', 'positive'] },
    ]);
    expect(report).not.toHaveProperty('data');
    expect(report.losses).toEqual(steps.map((l) => l.loss));
    // Each loss alone on its own file moves the weights elsewhere: the written model is neither.
    const alone = await Promise.all([['CoSENTLoss', files.scored], ['MultipleNegativesRankingLoss', files.positives]].map(async ([loss, data], i) => {
      const out = join(dir, `alone${i}`);
      expect((await cli(...base(out, '--data', data!, '--loss', loss!, '--steps', '5'))).code).toBe(0);
      return floats(out);
    }));
    const both = floats(join(dir, 'out'));
    for (const other of alone) expect([...both].filter(([name, bytes]) => !bytes.equals(other.get(name)!)).length).toBeGreaterThan(both.size / 2);
  });

  test('6 steps = 4 steps, checkpoint, resume for 2: the same losses, tasks and bit-identical weights', async () => {
    const dir = newDir();
    const straight = await cli(...base(join(dir, 'straight'), ...two, '--steps', '6'));
    const first = await cli(...base(join(dir, 'first'), ...two, '--steps', '4', '--checkpoint-every', '4'));
    const checkpoint = join(dir, 'first.checkpoints', CHECKPOINT_FILE);
    const resumed = await cli(...base(join(dir, 'resumed'), ...two, '--steps', '6', '--resume', checkpoint));
    expect([straight.code, first.code, resumed.code, resumed.err]).toEqual([0, 0, 0, '']);
    const steps = (out: string) => lines(out).filter((l) => 'step' in l).map((l) => [l.step, l.task, l.loss]);
    expect([...steps(first.out), ...steps(resumed.out)]).toEqual(steps(straight.out));
    const [a, b] = [floats(join(dir, 'straight')), floats(join(dir, 'resumed'))];
    expect([...a].filter(([name, bytes]) => !bytes.equals(b.get(name)!)).map(([name]) => name)).toEqual([]);
    // A checkpoint of the two-data-set run does not resume a run on one of them.
    const other = await cli(...base(join(dir, 'other'), '--data', files.scored, '--loss', 'CoSENTLoss', '--steps', '6', '--resume', checkpoint));
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/was written for another run: trainStep expected .*; loss expected "CoSENTLoss", got "CoSENTLoss,MultipleNegativesRankingLoss"; rows expected "16", got "16,8"\n$/);
  });

  test('one loss for two files: one train step, the files in turn; an STS-B file as --data (scores / 5)', async () => {
    const dir = newDir();
    const run = await cli(...base(join(dir, 'out'), '--data', files.sts, '--data', files.scored, '--loss', 'CoSENTLoss', '--steps', '2', '--no-shuffle', '--batch-size', '16'));
    expect([run.code, run.err]).toEqual([0, '']);
    const steps = lines(run.out).filter((l) => 'step' in l);
    expect(steps.map((l) => 'task' in l)).toEqual([false, false]);
    const report = JSON.parse(readFileSync(join(dir, 'out', REPORT_FILE), 'utf8'));
    expect(report.datasets.map((d: { format: string; loss: string }) => [d.format, d.loss])).toEqual([['sts', 'CoSENTLoss'], ['jsonl', 'CoSENTLoss']]);
    const single = await cli(...base(join(dir, 'single'), '--data', files.sts, '--loss', 'CoSENTLoss', '--steps', '1', '--no-shuffle', '--batch-size', '16'));
    const jsonl = await cli(...base(join(dir, 'jsonl'), '--data', files.scored, '--loss', 'CoSENTLoss', '--steps', '1', '--no-shuffle', '--batch-size', '16'));
    expect(lines(single.out)[0]!.loss).toBe(lines(jsonl.out)[0]!.loss); // scores ×5 in the STS-B file, /5 on reading: the same float32 labels
  });

  test('a --loss count that is neither one nor one per --data: one line, exit 2, nothing written', async () => {
    const dir = newDir();
    const run = await cli(...base(join(dir, 'out'), '--data', files.scored, '--data', files.positives, '--data', files.sts, '--loss', 'CoSENTLoss', '--loss', 'AnglELoss', '--steps', '1'));
    expect([run.code, run.out]).toEqual([2, '']);
    expect(run.err).toBe('[twinembed:cli] finetune: expected one --loss for all --data files or one per file (3), got 2 (CoSENTLoss, AnglELoss)\n');
    expect(readdirSync(dir)).toEqual([]);
  });
});
