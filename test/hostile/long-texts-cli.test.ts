// The README's recipe (the fixture BERT with tokenizer.json alone, no tokenizer_config.json) given
// texts past its 128-row position table, through the CLI in a child process: embed, index build,
// search --query and finetune truncate; --max-length over the table and --no-truncate refuse with
// one line and exit 2, and onnxruntime prints nothing of its own.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTextTokenizer, loadEmbedder } from '@twinembed/node';
import { hasShared, sharedPath } from '../support/paths.js';
import { tempDirs } from '../support/temp-dirs.js';
import { runCliProcess } from './toy-text-model.js';

const newDir = tempDirs('long-texts-cli');
const fixture = (f: string) => sharedPath('fixtures', 'bert-tiny-a', f);
/** 300 words: 702 word pieces with this vocabulary. */
const LONG = Array.from({ length: 300 }, (_, i) => ['the', 'weather', 'is', 'unusually', 'cold', 'tonight'][i % 6]).join(' ');

function readmeModel(extra: Record<string, object> = {}): string {
  const dir = newDir();
  copyFileSync(fixture('model.dynamo.onnx'), join(dir, 'model.onnx'));
  copyFileSync(fixture('hf/tokenizer.json'), join(dir, 'tokenizer.json'));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify({ pooling: 'mean' }));
  for (const [name, json] of Object.entries(extra)) writeFileSync(join(dir, name), JSON.stringify(json));
  return dir;
}

/** One line on stderr, exit 2, and no onnxruntime log line before it. */
function expectRefused(run: ReturnType<typeof runCliProcess>, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/onnxruntime_src|\[E:onnxruntime|\x1b\[/);
}

describe.skipIf(!hasShared)('the README recipe (bert-tiny-a, 128 positions) given a 702-token text', () => {
  test('max_position_embeddings of the fixture\'s config.json is the limit found in each export', async () => {
    const rows = JSON.parse(readFileSync(fixture('hf/config.json'), 'utf8')).max_position_embeddings;
    for (const onnx of ['model.dynamo.onnx', 'model.legacy.onnx', 'model.legacy.int8.onnx']) {
      const dir = readmeModel();
      copyFileSync(fixture(onnx), join(dir, 'model.onnx'));
      const embedder = await loadEmbedder(dir);
      expect([onnx, embedder.fused.positions?.tokens, embedder.spec.modality === 'text' && embedder.spec.maxLength]).toEqual([onnx, rows, rows]);
      await embedder.dispose();
    }
  });

  test('embed: exit 0, nothing on stderr, the vector of [CLS] + the first 126 pieces + [SEP]', async () => {
    const dir = readmeModel();
    const run = runCliProcess(['embed', '--model', dir, '--text', LONG, '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const [got] = JSON.parse(run.stdout).embeddings as number[][];
    // The oracle: the untruncated pieces, cut here as transformers cuts (the final [SEP] kept).
    const full = createTextTokenizer({ json: JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) }).encode(LONG).ids;
    expect(full.length).toBeGreaterThan(500);
    const ids = [...full.slice(0, 127), full[full.length - 1]!];
    const embedder = await loadEmbedder(dir);
    const [want] = await embedder.embed([{ ids }]);
    await embedder.dispose();
    expect(got!.length).toBe(64);
    got!.forEach((v, j) => expect(Math.abs(v - want![j]!)).toBeLessThan(1e-6)); // JSON round trip of float32
  });

  test('model_max_length 1e30 (Hugging Face\'s "no limit") embeds too', () => {
    const run = runCliProcess(['embed', '--model', readmeModel({ 'tokenizer_config.json': { model_max_length: 1e30 } }), '--text', LONG, '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
  });

  test('index build and search --query with long texts: exit 0', () => {
    const dir = readmeModel();
    const docs = join(newDir(), 'docs.jsonl');
    writeFileSync(docs, `${JSON.stringify({ id: 'long', text: LONG })}\n${JSON.stringify({ id: 'short', text: 'stock prices fell' })}\n`);
    const out = join(newDir(), 'idx');
    const built = runCliProcess(['index', 'build', '--model', dir, '--input', docs, '--out', out]);
    expect([built.code, built.stderr]).toEqual([0, '']);
    const found = runCliProcess(['search', '--index', out, '--query', LONG, '-k', '1', '--json']);
    expect([found.code, found.stderr]).toEqual([0, '']);
    expect(JSON.parse(found.stdout).results[0].ids).toEqual(['long']);
  });

  test('finetune on long pairs truncates them: exit 0', () => {
    const data = join(newDir(), 'pairs.jsonl');
    writeFileSync(data, `${JSON.stringify({ sentence1: LONG, sentence2: `${LONG} again`, score: 0.9 })}\n`);
    const run = runCliProcess(['finetune', '--model', readmeModel(), '--data', data, '--loss', 'CosineSimilarityLoss', '--optimizer', 'sgd', '--steps', '1', '--out', join(newDir(), 'tuned')], 120_000);
    expect([run.code, run.stderr]).toEqual([0, '']);
  });

  test('--max-length 100000 is refused with the table it exceeds', () => {
    expectRefused(runCliProcess(['embed', '--model', readmeModel(), '--text', 'a cat', '--max-length', '100000']),
      /^\[twinembed:embed\] maxLength: expected at most 128 tokens, the longest sequence the model takes \(its position-embedding table "embeddings\.position_embeddings\.weight" has 128 rows\), got 100000\n$/);
  });

  test('--no-truncate refuses the long text, naming it', () => {
    expectRefused(runCliProcess(['embed', '--model', readmeModel(), '--text', 'a cat', LONG, '--no-truncate']),
      /^\[twinembed:embed\] input 1 \("the weather is unusually cold tonight th…"\): expected at most 128 tokens \(truncation is off: truncate: false, --no-truncate\), got \d+\n$/);
  });
});
