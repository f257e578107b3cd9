// `twinembed finetune --eval-data`: evaluations during training on bert-tiny-a (CoSENTLoss, AdamW),
// the best step's model written to --out (and nothing else), --patience, the STS-B file format, and
// the option errors.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeModel, similarityEvaluator, tensorValues } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { cli } from '../../../../test/support/run-cli.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { loadEmbedder } from '../embed/load-embedder.js';
import { REPORT_FILE } from './finetune-command.js';

const newDir = tempDirs('finetune-eval');
const fixture = (f: string) => sharedPath('fixtures', 'bert-tiny-a', f);

/** The fixture BERT as a model directory (mean pooling, no normalization) with its 16 scored pairs as JSONL. */
function setup(): { model: string; pairs: string; rows: { sentence1: string; sentence2: string; score: number }[] } {
  const model = newDir();
  mkdirSync(join(model, 'hf'));
  copyFileSync(fixture('model.dynamo.onnx'), join(model, 'model.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture(`hf/${f}`), join(model, 'hf', f));
  writeFileSync(join(model, 'twinembed.json'), JSON.stringify({ tokenizer: 'hf', pooling: 'mean', normalize: false }));
  const { pairs } = JSON.parse(readFileSync(fixture('batches.json'), 'utf8')) as { pairs: { a: string[]; b: string[]; score: number[] } };
  const rows = pairs.a.map((a, i) => ({ sentence1: a, sentence2: pairs.b[i]!, score: pairs.score[i]! }));
  writeFileSync(join(model, 'pairs.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  return { model, pairs: join(model, 'pairs.jsonl'), rows };
}

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const floats = (dir: string) => new Map(decodeModel(readFileSync(join(dir, 'model.onnx'))).graph!.initializer!.filter((t) => t.dataType === 1)
  .map((t) => [t.name!, Buffer.from((tensorValues(t) as Float32Array).buffer)]));

describe.skipIf(!hasShared)('twinembed finetune --eval-data (bert-tiny-a, CoSENTLoss)', () => {
  const { model, pairs, rows } = hasShared ? setup() : { model: '', pairs: '', rows: [] };
  const args = (out: string, ...more: string[]) => ['finetune', '--model', model, '--data', pairs, '--loss', 'CoSENTLoss', '--optimizer', 'adamw', '--lr', '0.01', '--batch-size', '8', '--seed', '1', '--out', out, '--json', ...more];

  test('every --eval-every steps and before the first, logged; --out holds the best step\'s model, not the last', async () => {
    const dir = newDir();
    const run = await cli(...args(join(dir, 'best'), '--steps', '8', '--eval-data', pairs, '--eval-every', '2'));
    expect([run.code, run.err]).toEqual([0, '']);
    const evaluations = lines(run.out).filter((l) => 'evaluation' in l).map((l) => l.evaluation as { step: number; score: number; metrics: Record<string, number>; best?: boolean });
    expect(evaluations.map((e) => e.step)).toEqual([0, 2, 4, 6, 8]);
    for (const e of evaluations) expect(e.score).toBe(e.metrics.spearman_cosine);
    expect(Object.keys(evaluations[0]!.metrics)).toContain('pearson_manhattan');
    const scores = evaluations.slice(1).map((e) => e.score);
    const bestStep = 2 * (scores.indexOf(Math.max(...scores)) + 1);
    expect(bestStep).toBeLessThan(8); // this seed peaks before the end, so writing the last step would show
    expect(evaluations.slice(1).filter((e) => e.best).map((e) => e.step).at(-1)).toBe(bestStep);
    const summary = lines(run.out).at(-1)!;
    expect(summary).toMatchObject({ steps: 8, bestStep, spearman_cosine: { before: evaluations[0]!.score, best: Math.max(...scores) }, stoppedEarly: false });
    const report = JSON.parse(readFileSync(join(dir, 'best', REPORT_FILE), 'utf8'));
    expect(report.evaluation).toMatchObject({ data: pairs, format: 'jsonl', examples: 16, primaryMetric: 'spearman_cosine', every: 2, best: { step: bestStep }, baseline: { step: 0 } });
    expect(report.evaluation.log.map((e: { step: number }) => e.step)).toEqual([2, 4, 6, 8]);
    expect(report.steps).toBe(8);

    // The same run stopped at the best step, without evaluation: bit-identical weights.
    const stopped = await cli(...args(join(dir, 'stopped'), '--steps', String(bestStep)));
    expect([stopped.code, stopped.err]).toEqual([0, '']);
    const [best, atBest] = [floats(join(dir, 'best')), floats(join(dir, 'stopped'))];
    expect([...best].filter(([name, bytes]) => !bytes.equals(atBest.get(name)!)).map(([name]) => name)).toEqual([]);
    // …and the written model scores exactly what the log said.
    const embedder = await loadEmbedder(join(dir, 'best'));
    const metrics = await similarityEvaluator({ sentences1: rows.map((r) => r.sentence1), sentences2: rows.map((r) => r.sentence2), scores: rows.map((r) => r.score) }).evaluate(embedder);
    await embedder.dispose();
    expect(metrics.spearman_cosine).toBe(Math.max(...scores));
  });

  test('--patience: stops after that many evaluations without a new best', async () => {
    const dir = newDir();
    const run = await cli(...args(join(dir, 'out'), '--steps', '40', '--eval-data', pairs, '--eval-every', '1', '--patience', '2'));
    expect([run.code, run.err]).toEqual([0, '']);
    const report = JSON.parse(readFileSync(join(dir, 'out', REPORT_FILE), 'utf8'));
    const log = report.evaluation.log as { step: number; best: boolean }[];
    const lastBest = log.filter((e) => e.best).at(-1)!.step;
    expect(report.evaluation.stoppedEarly).toBe(true);
    expect(report.steps).toBe(lastBest + 2);
    expect(log.slice(-2).map((e) => e.best)).toEqual([false, false]);
    expect(report.evaluation.best.step).toBe(lastBest);
  });

  test('an STS-B file as --eval-data (score in column 5): the same figures as the same pairs in JSONL', async () => {
    const dir = newDir();
    const tsv = join(dir, 'pairs.csv');
    writeFileSync(tsv, rows.map((r, i) => ['main-captions', 'MSRvid', '2012test', String(i).padStart(4, '0'), (5 * r.score).toFixed(3), r.sentence1, r.sentence2].join('\t')).join('\n'));
    const [fromTsv, fromJsonl] = [await cli(...args(join(dir, 'a'), '--steps', '1', '--eval-data', tsv)), await cli(...args(join(dir, 'b'), '--steps', '1', '--eval-data', pairs))];
    expect([fromTsv.code, fromTsv.err, fromJsonl.code]).toEqual([0, '', 0]);
    const evaluation = (out: string) => lines(out).filter((l) => 'evaluation' in l).map((l) => (l.evaluation as { metrics: Record<string, number> }).metrics);
    const [a, b] = [evaluation(fromTsv.out), evaluation(fromJsonl.out)];
    expect(a.map((m) => Object.keys(m))).toEqual(b.map((m) => Object.keys(m)));
    // Correlations ignore the ×5: ranks are the same (Spearman exactly), Pearson up to the rounding of 5·s/5.
    a.forEach((m, i) => Object.entries(m).forEach(([k, v]) => (k.startsWith('spearman') ? expect(v).toBe(b[i]![k]) : expect(Math.abs(v - b[i]![k]!)).toBeLessThan(1e-12))));
    expect(JSON.parse(readFileSync(join(dir, 'a', REPORT_FILE), 'utf8')).evaluation.format).toBe('sts');
  });

  test('without --json: one line per evaluation, and the summary names the written step', async () => {
    const dir = newDir();
    const run = await cli(...args(join(dir, 'out'), '--steps', '4', '--eval-data', pairs, '--eval-every', '2').filter((a) => a !== '--json'));
    expect([run.code, run.err]).toEqual([0, '']);
    const out = run.out.trim().split('\n');
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^step 0 \(before training\): spearman_cosine 0\.\d{4}$/);
    expect(out[1]).toMatch(/^step 2: spearman_cosine -?\d\.\d{4}( \(best so far\))?$/);
    expect(out[3]).toMatch(/^fine-tuned 4 steps \(loss .*\) in [\d.]+ s; spearman_cosine 0\.\d{4} → -?\d\.\d{4} \(best, at step [24], written\): .*out$/);
  });

  const refused: [string, string[], RegExp][] = [
    ['--eval-every without --eval-data', ['--steps', '1', '--eval-every', '5'], /^\[twinembed:cli\] finetune: --eval-every needs --eval-data FILE, got none\n$/],
    ['--patience without --eval-data', ['--steps', '1', '--patience', '2'], /^\[twinembed:cli\] finetune: --patience needs --eval-data FILE, got none\n$/],
    ['an --eval-data line without a score', ['--steps', '1', '--eval-data', 'BAD'], /^\[twinembed:data\] ".*bad.jsonl" line 2: expected a numeric score, got none\n$/],
  ];
  test.each(refused)('%s: one line, exit 2, nothing written', async (_, more, message) => {
    const dir = newDir();
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify(rows[0])}\n${JSON.stringify({ sentence1: 'a', sentence2: 'b' })}\n`);
    const { code, out, err } = await cli(...args(join(dir, 'out'), ...more.map((m) => (m === 'BAD' ? bad : m))));
    expect([code, out]).toEqual([2, '']);
    expect(err).toMatch(message);
    expect(readdirSync(dir)).toEqual(['bad.jsonl']);
  });
});
