import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evaluateBinaryClassification, evaluateRetrieval, evaluateSimilarity, evaluateTriplets, type Embedder } from '@twinembed/core';
import { dataPath, hasShared, REPO_ROOT, sharedPath } from '../../../../test/support/paths.js';
import { cli } from '../../../../test/support/run-cli.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { loadEmbedder } from '../embed/load-embedder.js';

const newDir = tempDirs('eval-text-cli');

/** The fixture BERT (random weights, 64-d) as a model directory. */
function bertDir(): string {
  const dir = newDir();
  copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'model.dynamo.onnx'), join(dir, 'model.onnx'));
  copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'hf', 'tokenizer.json'), join(dir, 'tokenizer.json'));
  return dir;
}

function file(name: string, text: string): string {
  const path = join(newDir(), name);
  writeFileSync(path, text);
  return path;
}

const pairs = [
  ['a man is playing a guitar', 'someone plays the guitar', 4.6, 1],
  ['a cat sleeps on the sofa', 'the stock market fell today', 0.2, 0],
  ['children play in the park', 'kids are playing outside', 4.1, 1],
  ['a woman slices an onion', 'a woman is cutting an onion', 4.8, 1],
  ['the train is late', 'a dog chases a ball', 0.5, 0],
  ['a man is playing a guitar', 'a man plays the piano', 2.4, 0],
] as const;
const stsTsv = pairs.map(([a, b, score], i) => `main-captions\tMSRvid\t2012test\t${i}\t${score}\t${a}\t${b}`).join('\n');
const stsJsonl = pairs.map(([sentence1, sentence2, score]) => JSON.stringify({ sentence1, sentence2, score })).join('\n');
const mrpc = `\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n${pairs.map(([a, b, , label], i) => `${label}\t${2 * i}\t${2 * i + 1}\t${a}\t${b}`).join('\n')}\n`;

async function json(...argv: string[]): Promise<{ metrics: Record<string, number | null>; [key: string]: unknown }> {
  const { code, out, err } = await cli(...argv, '--json');
  expect([code, err]).toEqual([0, '']);
  return JSON.parse(out);
}

describe.skipIf(!hasShared)('twinembed eval sts | pairs | triplets | retrieval (fixture BERT)', () => {
  let dir: string;
  let embedder: Embedder;
  const rows = (texts: readonly string[]) => embedder.embedMatrix(texts);
  beforeAll(async () => {
    dir = bertDir();
    embedder = await loadEmbedder(dir);
  });
  afterAll(() => embedder?.dispose());

  test('sts: STS-B TSV and JSONL give the library\'s figures on the model\'s embeddings', async () => {
    const want = evaluateSimilarity({ embeddings1: await rows(pairs.map((p) => p[0])), embeddings2: await rows(pairs.map((p) => p[1])), dim: embedder.dim, scores: pairs.map((p) => p[2]) });
    const tsv = await json('eval', 'sts', '--model', dir, '--data', file('sts-dev.csv', stsTsv), '--batch-size', '4');
    expect([tsv.evaluator, tsv.primaryMetric, tsv.examples, tsv.texts, tsv.format]).toEqual(['sts', 'spearman_cosine', 6, 11, 'sts']);
    expect(Object.keys(tsv.metrics)).toEqual(Object.keys(want));
    // Other batches pad differently: float32 rounding only.
    for (const [key, value] of Object.entries(want)) expect(tsv.metrics[key]).toBeCloseTo(value, 6);
    const jsonl = await json('eval', 'sts', '--model', dir, '--data', file('sts.jsonl', stsJsonl), '--batch-size', '4');
    expect([jsonl.format, jsonl.metrics]).toEqual(['jsonl', tsv.metrics]);
  });

  test('sts prints a table with the primary metric marked', async () => {
    const { code, out, err } = await cli('eval', 'sts', '--model', dir, '--data', file('sts-dev.csv', stsTsv), '--similarity', 'cosine,manhattan');
    expect([code, err]).toEqual([0, '']);
    expect(out).toMatch(/^eval sts: 6 pairs, 11 texts embedded \(data ".*sts-dev\.csv", format "sts"\)\n {2}pearson_cosine {6}-?\d\.\d{4}\n {2}spearman_cosine {5}-?\d\.\d{4} {2}\(primary\)\n {2}pearson_manhattan {3}/);
    expect(out.trim().split('\n')).toHaveLength(7);
  });

  test('pairs: MRPC with its header gives the library\'s figures', async () => {
    const got = await json('eval', 'pairs', '--model', dir, '--data', file('msr_paraphrase_test.txt', mrpc));
    const want = evaluateBinaryClassification({ embeddings1: await rows(pairs.map((p) => p[0])), embeddings2: await rows(pairs.map((p) => p[1])), dim: embedder.dim, labels: pairs.map((p) => p[3]) });
    expect([got.primaryMetric, got.format, Object.keys(got.metrics)]).toEqual(['cosine_ap', 'mrpc', Object.keys(want)]);
    for (const [key, value] of Object.entries(want)) expect(got.metrics[key]).toBeCloseTo(value, 6);
  });

  test('triplets: JSONL anchor, positive, negative', async () => {
    const triplets = [['a man is playing a guitar', 'someone plays the guitar', 'the train is late'], ['a woman slices an onion', 'a woman is cutting an onion', 'a cat sleeps on the sofa']];
    const data = file('t.jsonl', triplets.map(([anchor, positive, negative]) => JSON.stringify({ anchor, positive, negative })).join('\n'));
    const got = await json('eval', 'triplets', '--model', dir, '--data', data, '--similarity', 'cosine,euclidean');
    const want = evaluateTriplets({ anchors: await rows(triplets.map((t) => t[0]!)), positives: await rows(triplets.map((t) => t[1]!)), negatives: await rows(triplets.map((t) => t[2]!)), dim: embedder.dim, similarities: ['cosine', 'euclidean'] });
    expect([got.primaryMetric, got.metrics]).toEqual(['cosine_accuracy', want]);
  });

  test('retrieval: flat and hnsw over a small corpus give the library\'s figures', async () => {
    const corpus = pairs.map((p, i) => ({ _id: `d${i}`, text: p[1] }));
    const queries = pairs.slice(0, 4).map((p, i) => ({ _id: `q${i}`, text: p[0] }));
    const qrels = `query-id\tcorpus-id\tscore\n${queries.map((q, i) => `${q._id}\td${i}\t1`).join('\n')}\nq0\td5\t1\n`;
    const args = ['--queries', file('queries.jsonl', queries.map((q) => JSON.stringify(q)).join('\n')), '--corpus', file('corpus.jsonl', corpus.map((d) => JSON.stringify(d)).join('\n')), '--qrels', file('test.tsv', qrels)];
    const want = evaluateRetrieval({
      queryEmbeddings: await rows(queries.map((q) => q.text)), corpusEmbeddings: await rows(corpus.map((d) => d.text)), dim: embedder.dim,
      corpusIds: corpus.map((d) => d._id), relevant: queries.map((_, i) => new Set(i === 0 ? ['d0', 'd5'] : [`d${i}`])),
    });
    for (const index of ['flat', 'hnsw']) {
      const got = await json('eval', 'retrieval', '--model', dir, ...args, '--index', index);
      expect([got.primaryMetric, got.examples, got.documents, got.index]).toEqual(['cosine_ndcg@10', 4, 6, index]);
      expect(Object.keys(got.metrics)).toEqual(Object.keys(want));
      for (const [key, value] of Object.entries(want)) expect(got.metrics[key]).toBeCloseTo(value, 6);
    }
  });

  const errors: [string, () => string[], RegExp][] = [
    ['a non-numeric score', () => ['sts', '--data', file('a.csv', stsTsv.replace('\t0.5\t', '\tlow\t'))], /^\[twinembed:data\] ".*a\.csv" line 5: expected a numeric score, got "low"\n$/],
    ['a missing column', () => ['sts', '--data', file('a.csv', `${stsTsv}\ng\tf\t2012\t9\t3\tonly one sentence`)], /^\[twinembed:data\] ".*a\.csv" line 7: expected 7 tab-separated fields \(STS-B: .*\), got 6\n$/],
    ['an empty file', () => ['pairs', '--data', file('empty.jsonl', '')], /^\[twinembed:data\] ".*empty\.jsonl": expected at least one row, got an empty file\n$/],
    ['labelled pairs given to sts', () => ['sts', '--data', file('m.txt', mrpc)], /^\[twinembed:data\] ".*m\.txt" is MRPC \(detected\): expected sts, sick, jsonl here \(labelled pairs go to eval pairs\)\n$/],
    ['an unknown similarity', () => ['sts', '--data', file('a.csv', stsTsv), '--similarity', 'cosine,angle'], /^\[twinembed:eval\] similarities: expected cosine, dot, euclidean or manhattan, got "angle"\n$/],
    ['pairs of one label only', () => ['pairs', '--data', file('p.jsonl', '{"sentence1":"a b","sentence2":"c d","label":1}\n{"sentence1":"e","sentence2":"f","label":1}')], /^\[twinembed:eval\] pairs: expected both positive \(1\) and negative \(0\) labels, got 2 positive of 2\n$/],
    ['a qrel naming an unknown document', () => ['retrieval', '--queries', file('q.jsonl', '{"_id":"q","text":"x"}'), '--corpus', file('c.jsonl', '{"_id":"d","text":"y"}'), '--qrels', file('r.jsonl', '{"query-id":"q","corpus-id":"z"}')], /^\[twinembed:eval\] relevant: query "q" names "z", which is not in the corpus\n$/],
  ];
  test.each(errors)('%s is one line, exit 2', async (_, args, message) => {
    const [command, ...rest] = args();
    const { code, out, err } = await cli('eval', command!, '--model', dir, ...rest);
    expect([code, out]).toEqual([2, '']);
    expect(err).toMatch(message);
  });

  const stsDev = dataPath('sts', 'sts-dev.csv');
  test.skipIf(!existsSync(stsDev))('sts on STS-B dev runs end to end (a random model: the figure means nothing)', async () => {
    const got = await json('eval', 'sts', '--model', dir, '--data', stsDev);
    expect([got.examples, got.texts, got.format]).toEqual([1500, 2910, 'sts']);
    expect(Math.abs(got.metrics.spearman_cosine!)).toBeLessThan(1);
  }, 120_000);
});

// The default text model (Universal Sentence Encoder lite, imported) against the reference figure
// the issue measured with the package's own TF.js pipeline: 0.784 Spearman (cosine) on STS-B dev.
const textModel = join(REPO_ROOT, 'models', 'text');
const stsDev = dataPath('sts', 'sts-dev.csv');
const missing = [textModel, stsDev].filter((p) => !existsSync(p));
if (missing.length > 0) describe.skip(`eval sts on the default text model: ${missing.join(' and ')} absent`, () => {});
else {
  describe('eval sts on the default text model', () => {
    test('STS-B dev spearman_cosine is 0.784 ± 0.001', async () => {
      const got = await json('eval', 'sts', '--model', textModel, '--data', stsDev);
      expect(got.metrics.spearman_cosine).toBeGreaterThanOrEqual(0.783);
      expect(got.metrics.spearman_cosine).toBeLessThanOrEqual(0.785);
    }, 300_000);
  });
}
