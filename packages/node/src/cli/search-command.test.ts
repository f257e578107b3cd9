import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createIndex } from '@twinembed/core';
import { randomUnitVectors, range } from '../../../../test/support/vector-data.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { encodeNpy } from '../vectors-file.js';
import { INDEX_FILE } from './index-command.js';
import { cli } from '../../../../test/support/run-cli.js';

const newDir = tempDirs('search-cli');

const n = 500, dim = 12;
const data = randomUnitVectors(n + 4, dim, 11);
const rows = data.subarray(0, n * dim), queries = data.subarray(n * dim);
const dir = newDir();
const colour = (i: number): string => ['red', 'green', 'blue', 'grey', 'pink', 'teal', 'gold', 'navy', 'plum', 'rust'][i % 10]!;

beforeAll(async () => {
  writeFileSync(join(dir, 'rows.npy'), encodeNpy({ count: n, dim, vectors: rows }));
  writeFileSync(join(dir, 'queries.npy'), encodeNpy({ count: 4, dim, vectors: queries }));
  writeFileSync(join(dir, 'queries.f32'), new Uint8Array(queries.slice().buffer));
  writeFileSync(join(dir, 'ids.jsonl'), range(0, n).map((i) => JSON.stringify({ id: i, colour: colour(i) })).join('\n'));
  for (const backend of ['flat', 'hnsw', 'hnswlib']) {
    const built = await cli('index', 'build', '--vectors', join(dir, 'rows.npy'), '--ids', join(dir, 'ids.jsonl'), '--metric', 'l2', '--backend', backend, '--out', join(dir, backend));
    expect(built.code, built.err).toBe(0);
  }
});

function oracle(): ReturnType<typeof createIndex> {
  const flat = createIndex({ backend: 'flat', dim, metric: 'l2' });
  flat.add(range(0, n), rows, { metadata: range(0, n).map((i) => ({ colour: colour(i) })) });
  return flat;
}

describe('twinembed search', () => {
  test.each(['flat', 'hnsw', 'hnswlib'])('--json on a %s index: one result per query, as the exact oracle finds them', async (backend) => {
    const { code, out, err } = await cli('search', '--index', join(dir, backend), '--query-vectors', join(dir, 'queries.npy'), '-k', '5', '--ef', '100', '--json');
    expect([code, err]).toEqual([0, '']);
    const { results } = JSON.parse(out);
    const want = oracle().searchBatch(queries, 5);
    expect(results.map((r: { ids: number[] }) => r.ids)).toEqual(want.map((r) => r.ids));
    results.forEach((r: { distances: number[] }, i: number) => r.distances.forEach((d, j) => expect(d).toBeCloseTo(want[i]!.distances[j]!, 5)));
    expect(results[0].metadata).toEqual(want[0]!.ids.map((id) => ({ colour: colour(id as number) })));
  });

  test('--filter admitting 10% still returns k results, all admitted; .f32 queries and the index file path', async () => {
    const { code, out } = await cli('search', '--index', join(dir, 'hnsw', INDEX_FILE), '--query-vectors', join(dir, 'queries.f32'), '-k', '10', '--filter', '{"colour":"teal"}', '--json');
    expect(code).toBe(0);
    const { results } = JSON.parse(out);
    const want = oracle().searchBatch(queries, 10, { filter: { colour: 'teal' } });
    expect(results.map((r: { ids: number[] }) => r.ids)).toEqual(want.map((r) => r.ids));
    for (const r of results) expect(r.metadata).toEqual(new Array(10).fill({ colour: 'teal' }));
  });

  test('an hnswlib index opened with --backend hnsw gives the same neighbours', async () => {
    const args = ['search', '--index', join(dir, 'hnswlib'), '--query-vectors', join(dir, 'queries.npy'), '--json'];
    const native = JSON.parse((await cli(...args)).out);
    const ts = JSON.parse((await cli(...args, '--backend', 'hnsw')).out);
    expect(ts.results.map((r: { ids: number[] }) => r.ids)).toEqual(native.results.map((r: { ids: number[] }) => r.ids));
  });

  test('text output', async () => {
    const { code, out } = await cli('search', '--index', join(dir, 'flat'), '--query-vectors', join(dir, 'queries.npy'), '-k', '2');
    expect(code).toBe(0);
    expect(out).toMatch(/^query 0:\n {2}1\. \d+ {2}[\d.e-]+ {2}\{"colour":"\w+"\}\n {2}2\. .*\nquery 1:\n/);
    expect(out.trim().split('\n')).toHaveLength(4 * 3);
  });
});

describe('twinembed search on bad input: one line, exit code 2', () => {
  const write = (name: string, bytes: string | Uint8Array): string => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const cases: [string, () => string[], RegExp][] = [
    ['a missing index', () => ['--index', join(dir, 'nowhere'), '--query-vectors', join(dir, 'queries.npy')], /^\[twinembed:io\] cannot read index ".*nowhere": no such file or directory/],
    ['garbage in the index file', () => ['--index', write('garbage.twinembed', 'not an index '.repeat(10)), '--query-vectors', join(dir, 'queries.npy')], /^\[twinembed:io\] cannot load index ".*garbage.twinembed": /],
    ['a truncated index file', () => ['--index', write('cut.twinembed', new Uint8Array(readFileSync(join(dir, 'hnsw', INDEX_FILE)).subarray(0, 2000))), '--query-vectors', join(dir, 'queries.npy')], /^\[twinembed:io\] cannot load index/],
    ['queries of another dimension', () => ['--index', join(dir, 'hnsw'), '--query-vectors', write('q8.npy', encodeNpy({ count: 1, dim: 8, vectors: new Float32Array(8) }))], /wrong dimension in ".*q8.npy": expected 12 \(the index dimension\), got 8/],
    ['no queries', () => ['--index', join(dir, 'hnsw')], /expected exactly one of --query-vectors FILE or --query TEXT, got neither/],
    ['text queries on an index built from vectors', () => ['--index', join(dir, 'hnsw'), '--query', 'hello'], /search --query: expected --model DIR, or an index built with --model; ".*hnsw" records no model/],
    ['a filter that is not JSON', () => ['--index', join(dir, 'hnsw'), '--query-vectors', join(dir, 'queries.npy'), '--filter', '{colour:red}'], /invalid --filter: expected a JSON object, got "\{colour:red\}"/],
    ['a filter that is an array', () => ['--index', join(dir, 'hnsw'), '--query-vectors', join(dir, 'queries.npy'), '--filter', '[1]'], /invalid --filter: expected a JSON object of field values, got \[1\]/],
    ['k of 0', () => ['--index', join(dir, 'hnsw'), '--query-vectors', join(dir, 'queries.npy'), '-k', '0'], /argument '0' is invalid. expected a positive integer/],
  ];

  test.each(cases)('%s', async (_, args, message) => {
    const { code, out, err } = await cli('search', ...args(), '--json');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.includes('    at ')).toBe(false);
  });
});
