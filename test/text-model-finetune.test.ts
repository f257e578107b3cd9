// The default text model through the CLI: `embed` and `export` give the embedder's vectors, and
// `finetune` trains the int8-stored model as float32 parameters (its DequantizeLinear folded) from
// exactly the model users embed with: the first step's loss is CosineSimilarityLoss computed here
// from the shipped model's own embeddings.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel, loadEmbedder } from '@twinembed/node';
import { cli } from './support/run-cli.js';
import { REPO_ROOT } from './support/paths.js';
import { tempDirs } from './support/temp-dirs.js';

const MODEL = join(REPO_ROOT, 'models', 'text');
const newDir = tempDirs('text-finetune');
const PAIRS = [
  ['A man is playing a guitar.', 'A person plays the guitar.', 0.9],
  ['A dog runs across the field.', 'The stock market fell sharply today.', 0.05],
  ['Two women are cooking dinner.', 'Two ladies are preparing a meal.', 0.85],
  ['The cat sleeps on the sofa.', 'A cat is sleeping on a couch.', 0.95],
  ['It is raining in London.', 'Children play football in the park.', 0.1],
  ['He bought a new car.', 'He purchased a new vehicle.', 0.9],
  ['The sun is shining.', 'A plane takes off from the airport.', 0.0],
  ['She is reading a book.', 'A woman reads.', 0.7],
] as const;

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  a.forEach((x, i) => { dot += x * b[i]!; na += x * x; nb += b[i]! * b[i]!; });
  return dot / Math.sqrt(na * nb);
}

describe('models/text through the CLI', () => {
  it('embeds with `twinembed embed` and `twinembed export` as loadEmbedder does', async () => {
    const texts = ['A man is playing a guitar.', '', 'こんにちは世界 😀'];
    const want = await (await loadEmbedder(MODEL)).embed(texts);
    const run = await cli('embed', '--model', MODEL, '--text', ...texts, '--format', 'json');
    expect(run.code).toBe(0);
    const got = (JSON.parse(run.out) as { embeddings: number[][] }).embeddings;
    expect(got).toHaveLength(texts.length);
    got.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - want[i]![j]!)).toBeLessThan(1e-6)));
    const out = join(newDir(), 'text.onnx');
    expect((await cli('export', '--model', MODEL, '--out', out)).code).toBe(0);
    const ids = [2002, 102, 311]; // a text as token ids: the exported file alone has no tokenizer
    const [exported] = await (await loadEmbedder(out)).embed([{ ids }]);
    const [direct] = await (await loadEmbedder(MODEL)).embed([{ ids }]);
    exported!.forEach((x, j) => expect(Math.abs(x - direct![j]!)).toBeLessThan(1e-6));
  });

  it('fine-tunes 3 steps from the shipped weights, as float32 parameters named by module path', async () => {
    const dir = newDir();
    const data = join(dir, 'pairs.jsonl');
    writeFileSync(data, PAIRS.map(([sentence1, sentence2, score]) => JSON.stringify({ sentence1, sentence2, score })).join('\n'));
    const out = join(dir, 'tuned');
    const run = await cli('finetune', '--model', MODEL, '--data', data, '--loss', 'CosineSimilarityLoss', '--optimizer', 'adamw', '--lr', '2e-5',
      '--batch-size', String(PAIRS.length), '--no-shuffle', '--steps', '3', '--out', out, '--json');
    expect(run.code, run.err).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')) as { losses: number[] };
    const embedder = await loadEmbedder(MODEL);
    const [a, b] = [await embedder.embed(PAIRS.map((p) => p[0])), await embedder.embed(PAIRS.map((p) => p[1]))];
    const expected = PAIRS.reduce((s, p, i) => s + (cosine(a[i]!, b[i]!) - p[2]) ** 2, 0) / PAIRS.length; // MSE(cos, score)
    expect(report.losses).toHaveLength(3);
    expect(Math.abs(report.losses[0]! - expected)).toBeLessThan(1e-6);
    const graph = decodeModel(readFileSync(join(out, 'model.onnx'))).graph!;
    expect(graph.node!.some((n) => n.opType === 'DequantizeLinear')).toBe(false);
    const qkv = graph.initializer!.find((t) => t.name === 'layer.0.attention.qkv.weight');
    expect(qkv?.dataType).toBe(1); // float32
    await expect((await loadEmbedder(out)).embed(['A man is playing a guitar.'])).resolves.toHaveLength(1);
  }, 300_000);
});
