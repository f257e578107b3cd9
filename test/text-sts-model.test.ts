// models/text-sts, the default text model fine-tuned on STS-B by scripts/train-text-sts.ts: stored
// as models/text is (same graph, same int8 layout, other values), it embeds alike through
// `twinembed embed`, onnxruntime-web (wasm, in Node) and a `twinembed export`ed file, and `eval sts`
// on STS-B dev gives the figure its training.json reports.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTextTokenizer, decodeModel, loadEmbedder, tensorDataType, tensorDims, type ModelProto } from '@twinembed/node';
import { loadWebEmbedder } from '../packages/web/src/web-embedder.js';
import { cli } from './support/run-cli.js';
import { dataPath, REPO_ROOT } from './support/paths.js';
import { tempDirs } from './support/temp-dirs.js';

const DIR = join(REPO_ROOT, 'models', 'text-sts');
const TEXT = join(REPO_ROOT, 'models', 'text');
const DEV = dataPath('sts', 'sts-dev.csv');
const newDir = tempDirs('text-sts');
const TEXTS = [
  'A man is playing a guitar.',
  'Two dogs run through the snow.',
  '?!…',
  'こんにちは世界 😀',
  Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '), // > 128 pieces: cut to 128 by the graph
];
// Each path runs the same graph on a CPU; onnxruntime-node (MLAS, AVX) and onnxruntime-web (wasm SIMD)
// sum in other orders, so unit-length 512-d outputs may differ by a few float32 ulps per layer: 1e-5
// is the bound the import's oracle test allows against TF.js, and ~50× the float32 spacing near 0.1.
const CROSS_RUNTIME = 1e-5;

const read = (name: string) => readFileSync(join(DIR, name));
const model = (dir: string) => decodeModel(readFileSync(join(dir, 'model.onnx')));
// A Constant's value is left out: the position signal's timescales are a Constant, trained too.
const signature = (m: ModelProto) => ({
  nodes: m.graph!.node!.map((n) => [n.opType, n.input, n.output, n.opType === 'Constant' ? n.attribute!.map((a) => [a.name, tensorDims(a.t!).join('x')]) : JSON.stringify(n.attribute)]),
  initializers: m.graph!.initializer!.map((t) => [t.name, tensorDataType(t), tensorDims(t).join('x')]),
});

function worst(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.flatMap((row, i) => Array.from(row, (x, j) => Math.abs(x - b[i]![j]!))));
}

async function fetchDir(url: string): Promise<Response> {
  const file = join(DIR, url.replace('https://app.example/models/text-sts/', ''));
  return existsSync(file) ? new Response(readFileSync(file)) : new Response('not found', { status: 404 });
}

describe('models/text-sts', () => {
  it('is models/text\'s graph and int8 layout with fine-tuned values, and its files', () => {
    const [tuned, base] = [model(DIR), model(TEXT)];
    expect(signature(tuned)).toEqual(signature(base));
    const changed = tuned.graph!.initializer!.filter((t, i) => !Buffer.from(t.rawData!).equals(Buffer.from(base.graph!.initializer![i]!.rawData!)));
    expect(changed.length).toBe(base.graph!.initializer!.length); // every stored tensor was trained (or re-scaled with its matrix)
    for (const name of ['tokenizer.json', 'tokenizer_config.json', 'twinembed.json', 'LICENSE']) expect(read(name).equals(readFileSync(join(TEXT, name))), name).toBe(true);
    const training = JSON.parse(read('training.json').toString()) as { command: string };
    expect(read('NOTICE').toString()).toContain(training.command);
    expect(read('model.onnx').length).toBeLessThan(8e6);
  });

  it('embeds alike through `twinembed embed`, onnxruntime-web and a `twinembed export`ed file', async () => {
    const run = await cli('embed', '--model', 'text-sts', '--text', ...TEXTS, '--format', 'json');
    expect(run.code, run.err).toBe(0);
    const viaCli = (JSON.parse(run.out) as { embeddings: number[][] }).embeddings;
    const direct = await (await loadEmbedder(DIR)).embed(TEXTS);
    expect(worst(viaCli, direct)).toBeLessThan(1e-6); // the same session's floats, printed as JSON numbers
    const web = await loadWebEmbedder('https://app.example/models/text-sts/', { fetch: fetchDir });
    expect(worst(await web.embed(TEXTS), direct)).toBeLessThan(CROSS_RUNTIME);
    await web.dispose();
    const out = join(newDir(), 'text-sts.onnx');
    expect((await cli('export', '--model', 'text-sts', '--out', out)).code).toBe(0);
    const tokenizer = createTextTokenizer({ json: JSON.parse(read('tokenizer.json').toString()), config: JSON.parse(read('tokenizer_config.json').toString()) });
    const exported = await loadEmbedder(out);
    const viaExport = await exported.embed(TEXTS.map((t) => ({ ids: Array.from(tokenizer.encode(t).ids) })));
    expect(worst(viaExport, direct)).toBeLessThan(CROSS_RUNTIME);
    const other = await (await loadEmbedder(TEXT)).embed(TEXTS);
    expect(worst(other, direct)).toBeGreaterThan(0.01); // not the base model's vectors
  }, 120_000);

  it.skipIf(!existsSync(DEV))('scores on STS-B dev what training.json reports (skipped when ../shared/data/sts is absent)', async () => {
    const run = await cli('eval', 'sts', '--model', 'text-sts', '--data', DEV, '--json');
    expect(run.code, run.err).toBe(0);
    const { metrics } = JSON.parse(run.out) as { metrics: { spearman_cosine: number } };
    const training = JSON.parse(read('training.json').toString()) as { stsDevSpearmanCosine: { after: { int8: number } } };
    expect(Math.abs(metrics.spearman_cosine - training.stsDevSpearmanCosine.after.int8)).toBeLessThan(0.001);
    expect(metrics.spearman_cosine).toBeGreaterThanOrEqual(0.815);
  }, 300_000);
});
