import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createIndex } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { randomUnitVectors, range } from '../../../../test/support/vector-data.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { loadIndex } from '../index-file.js';
import { encodeNpy } from '../vectors-file.js';
import { OUTPUT_MARKER } from '../output-path.js';
import { INDEX_FILE } from './index-command.js';
import { cli } from '../../../../test/support/run-cli.js';

const newDir = tempDirs('index-cli');

const n = 300, dim = 16;
const rows = randomUnitVectors(n, dim, 7);

function files(): { dir: string; npy: string; f32: string } {
  const dir = newDir();
  writeFileSync(join(dir, 'rows.npy'), encodeNpy({ count: n, dim, vectors: rows }));
  writeFileSync(join(dir, 'rows.f32'), new Uint8Array(rows.buffer));
  return { dir, npy: join(dir, 'rows.npy'), f32: join(dir, 'rows.f32') };
}

describe('twinembed index build', () => {
  test('.npy rows with row numbers as ids: the saved index holds every row under its number', async () => {
    const { dir, npy } = files();
    const out = join(dir, 'idx');
    const { code, out: stdout, err } = await cli('index', 'build', '--vectors', npy, '--metric', 'l2', '--backend', 'hnsw', '--M', '8', '--ef-construction', '50', '--out', out, '--json');
    expect([code, err]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toMatchObject({ path: join(out, INDEX_FILE), count: n, dim, metric: 'l2', backend: 'hnsw' });
    const { index } = await loadIndex(join(out, INDEX_FILE));
    expect([index.backend, index.size, index.ids().sort((a, b) => (a as number) - (b as number))]).toEqual(['hnsw', n, range(0, n)]);
    expect((index as unknown as { options: { M: number; efConstruction: number } }).options).toMatchObject({ M: 8, efConstruction: 50 });
    // Each row's own vector finds it first, at distance 0.
    const found = index.searchBatch(rows, 1);
    expect(found.map((r) => r.ids[0])).toEqual(range(0, n));
  });

  test('.f32 rows with string ids and metadata from --ids, exact search with --backend flat', async () => {
    const { dir, f32 } = files();
    writeFileSync(join(dir, 'ids.jsonl'), range(0, n).map((i) => JSON.stringify({ id: `doc-${i}`, parity: i % 2 ? 'odd' : 'even' })).join('\n'));
    const { code, out } = await cli('index', 'build', '--vectors', f32, '--dim', String(dim), '--ids', join(dir, 'ids.jsonl'), '--backend', 'flat', '--out', join(dir, 'idx'));
    expect(code).toBe(0);
    expect(out).toMatch(/^indexed 300 vectors \(dim 16, cosine, flat\) in [\d.]+ s: .*index\.twinembed\n$/);
    const { index } = await loadIndex(join(dir, 'idx', INDEX_FILE));
    expect([index.has('doc-5'), index.metadata('doc-5')]).toEqual([true, { parity: 'odd' }]);
    const oracle = createIndex({ backend: 'flat', dim, metric: 'cosine' });
    oracle.add(range(0, n).map((i) => `doc-${i}`), rows);
    const q = rows.subarray(0, 5 * dim);
    expect(index.searchBatch(q, 10).map((r) => r.ids)).toEqual(oracle.searchBatch(q, 10).map((r) => r.ids));
  });

  test('JSONL --input rows with vectors, ids and metadata; the default (hnswlib) backend', async () => {
    const dir = newDir();
    const lines = range(0, 50).map((i) => JSON.stringify({ key: `k${i}`, embedding: Array.from(rows.subarray(i * dim, (i + 1) * dim)), title: `t${i}` }));
    writeFileSync(join(dir, 'rows.jsonl'), `${lines.join('\n')}\n`);
    const { code, out, err } = await cli('index', 'build', '--input', join(dir, 'rows.jsonl'), '--id-field', 'key', '--vector-field', 'embedding', '--out', join(dir, 'idx'), '--json');
    expect(code, err).toBe(0);
    const summary = JSON.parse(out);
    expect([summary.count, summary.backend]).toEqual([50, 'hnswlib']);
    const { index } = await loadIndex(join(dir, 'idx', INDEX_FILE));
    expect([index.size, index.metadata('k3')]).toEqual([50, { title: 't3' }]);
  });

  test('rebuilding into the same folder replaces the index', async () => {
    const { dir, npy } = files();
    const out = join(dir, 'idx');
    await cli('index', 'build', '--vectors', npy, '--backend', 'flat', '--out', out);
    writeFileSync(join(dir, 'few.npy'), encodeNpy({ count: 3, dim, vectors: rows.subarray(0, 3 * dim) }));
    expect((await cli('index', 'build', '--vectors', join(dir, 'few.npy'), '--backend', 'flat', '--out', out)).code).toBe(0);
    expect((await loadIndex(join(out, INDEX_FILE))).index.size).toBe(3);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, INDEX_FILE]);
  });
});

describe('twinembed index build on bad input: one line, exit code 2, nothing written', () => {
  const { dir, npy, f32 } = files();
  const write = (name: string, text: string | Uint8Array): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const nanRows = rows.slice();
  nanRows[5 * dim + 3] = NaN;
  const cases: [string, () => string[], RegExp][] = [
    ['no input', () => [], /^\[twinembed:cli\] index build: expected exactly one of --vectors FILE or --input FILE.jsonl, got neither/],
    ['both inputs', () => ['--vectors', npy, '--input', npy], /got both/],
    ['.f32 without --dim', () => ['--vectors', f32], /^\[twinembed:io\] cannot read ".*rows.f32": expected --dim for a raw .f32 file/],
    ['--dim that does not divide the .f32', () => ['--vectors', f32, '--dim', '7'], /expected a non-zero multiple of 28 bytes/],
    ['--dim other than the .npy', () => ['--vectors', npy, '--dim', '8'], /wrong dimension in ".*rows.npy": expected 8 \(--dim\), got 16/],
    ['NaN in a row', () => ['--vectors', write('nan.npy', encodeNpy({ count: n, dim, vectors: nanRows }))], /non-finite value in ".*nan.npy": expected finite numbers, got NaN \(row 5, column 3\)/],
    ['a duplicate id', () => ['--vectors', npy, '--ids', write('dup.jsonl', range(0, n).map((i) => (i === 9 ? 3 : i)).join('\n'))], /duplicate id: expected unique ids, got 3 again at row 9/],
    ['too few ids', () => ['--vectors', npy, '--ids', write('few.jsonl', '1\n2\n')], /wrong number of ids in ".*few.jsonl": expected 300 \(one per vector\), got 2/],
    ['rows of different lengths', () => ['--input', write('ragged.jsonl', '{"vector":[1,2]}\n{"vector":[1]}\n')], /wrong dimension in ".*ragged.jsonl" line 2: expected 2, got 1/],
    ['--model with --vectors', () => ['--model', dir, '--vectors', npy], /expected --input FILE.jsonl with --model, got --vectors/],
    ['a text row without text (checked before loading the model)', () => ['--model', dir, '--input', write('texts.jsonl', '{"text":"hi"}\n{"title":"x"}\n')], /invalid row in ".*texts.jsonl" line 2: expected a non-empty "text" string, got undefined/],
    ['an --out that is a file', () => ['--vectors', npy, '--out', npy], /cannot write the index into ".*rows.npy": expected a folder/],
    ['a bad --M', () => ['--vectors', npy, '--M', 'many'], /option '--M <n>' argument 'many' is invalid. expected a positive integer, got "many"/],
    ['an unknown metric', () => ['--vectors', npy, '--metric', 'hamming'], /argument 'hamming' is invalid. Allowed choices are cosine, l2, ip/],
  ];

  test.each(cases)('%s', async (_, args, message) => {
    const out = join(dir, 'out');
    const argv = args();
    const { code, out: stdout, err } = await cli('index', 'build', ...argv, ...(argv.includes('--out') ? [] : ['--out', out]));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(err).toMatch(message);
    expect(err.includes('    at ')).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  test('a failed rebuild leaves the previous index untouched', async () => {
    const out = join(dir, 'kept');
    expect((await cli('index', 'build', '--vectors', npy, '--backend', 'hnsw', '--out', out)).code).toBe(0);
    const before = readFileSync(join(out, INDEX_FILE));
    const { code } = await cli('index', 'build', '--vectors', write('nan2.npy', encodeNpy({ count: n, dim, vectors: nanRows })), '--out', out);
    expect(code).toBe(2);
    expect(readFileSync(join(out, INDEX_FILE)).equals(before)).toBe(true);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, INDEX_FILE]);
  });
});

describe.skipIf(!hasShared)('twinembed index build --model and search --query (bert-tiny fixture)', () => {
  const texts = ['a man is playing a guitar', 'a cat sleeps on the sofa', 'the stock market fell sharply', 'children play football in the park'];

  test('embeds the --input texts, keeps them as metadata, and finds each text by itself', async () => {
    const dir = newDir();
    for (const [from, to] of [['model.legacy.onnx', 'model.onnx'], ['hf/tokenizer.json', 'tokenizer.json'], ['hf/tokenizer_config.json', 'tokenizer_config.json']]) {
      copyFileSync(sharedPath('fixtures', 'bert-tiny-a', from!), join(dir, to!));
    }
    writeFileSync(join(dir, 'docs.jsonl'), texts.map((text, i) => JSON.stringify({ id: `t${i}`, text, n: i })).join('\n'));
    const built = await cli('index', 'build', '--model', dir, '--input', join(dir, 'docs.jsonl'), '--backend', 'hnsw', '--out', join(dir, 'idx'), '--json');
    expect(built.code, built.err).toBe(0);
    expect(JSON.parse(built.out)).toMatchObject({ count: 4, dim: 64 });
    expect(readdirSync(join(dir, 'idx')).sort()).toEqual([OUTPUT_MARKER, 'embedder.json', INDEX_FILE]);
    const found = await cli('search', '--index', join(dir, 'idx'), '--query', texts[2]!, texts[0]!, '-k', '2', '--json');
    expect(found.code, found.err).toBe(0);
    const { results } = JSON.parse(found.out);
    expect(results.map((r: { ids: string[] }) => r.ids[0])).toEqual(['t2', 't0']);
    expect(results[0].distances[0]).toBeCloseTo(0, 5);
    expect(results[0].metadata[0]).toEqual({ text: texts[2], n: 2 });
  });
});
