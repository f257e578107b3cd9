// Nearest-neighbour benchmark: build time, queries/s at recall@10 ≥ 0.95 and bytes per vector
// for twinembed's hnsw (TypeScript), hnswlib (hnswlib-node behind VectorIndex), flat, and the
// raw hnswlib-node and hnswlib-wasm libraries, side by side in one process, with ratios vs hnswlib-node.
// Run: pnpm bench:index [--random N] [--queries Q] [--only mnist|random] [--skip wasm,flat,...]
import { parseArgs } from 'node:util';
import { createIndex, createNodeIndex, loadHnswlibNode, type HnswlibIndex, type Metric, type VectorIndex } from '@twinembed/node';
import { hasMnist, loadMnistImages, randomUnitVectors, range } from '../test/support/vector-data.js';
import { loadHnswlibWasm, type RawHnsw } from './hnswlib-wasm.js';

const M = 16, EF_CONSTRUCTION = 200, K = 10, TARGET = 0.95, ROUNDS = 5;
/** About 1.25× apart, so the ef found for 0.95 overshoots by little. */
const EFS = [10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 448, 512, 640, 768, 1024, 1280, 1536, 2048];

interface DataSet { name: string; metric: Metric; dim: number; rows: Float32Array; queries: Float32Array }
interface Row { backend: string; buildS: number; ef: number | string; recall: number; qps: number; bytesPerVector: number | string }

/** Anything that answers k-NN queries for the sweep: returns the k ids of one query. */
type Searcher = { search(q: Float32Array, qi: number, ef: number): ArrayLike<number>; bytes(): number | string };

const { values: args } = parseArgs({ options: { random: { type: 'string', default: '100000' }, queries: { type: 'string', default: '200' }, only: { type: 'string' }, skip: { type: 'string', default: '' } } });
const skip = new Set(args.skip!.split(',').filter(Boolean));

/**
 * Seconds of this process's CPU time (user + system). The machines these run on are shared and
 * noisy; CPU time leaves out the time other processes hold the cores, and every backend here
 * builds and searches on one thread.
 */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function timeIt<T>(run: () => T): [T, number] {
  const start = cpuSeconds();
  const value = run();
  return [value, cpuSeconds() - start];
}

function truth(data: DataSet): number[][] {
  const flat = createIndex({ backend: 'flat', dim: data.dim, metric: data.metric });
  flat.add(range(0, data.rows.length / data.dim), data.rows);
  return flat.searchBatch(data.queries, K).map((r) => r.ids as number[]);
}

function recall(s: Searcher, data: DataSet, want: number[][], ef: number): number {
  let hits = 0;
  want.forEach((ids, i) => {
    const got = s.search(data.queries, i * data.dim, ef);
    const set = new Set(ids);
    for (let j = 0; j < got.length; j++) if (set.has(got[j]!)) hits++;
  });
  return hits / (K * want.length);
}

/** Queries per CPU second over passes of all queries for about `ms` milliseconds (at least one pass). */
function qps(s: Searcher, data: DataSet, ef: number, ms: number): number {
  const n = data.queries.length / data.dim;
  let done = 0;
  const start = performance.now(), cpu = cpuSeconds();
  do {
    for (let i = 0; i < n; i++) s.search(data.queries, i * data.dim, ef);
    done += n;
  } while (performance.now() - start < ms);
  return done / (cpuSeconds() - cpu);
}

/** The smallest ef reaching the target recall; q/s is measured later, interleaved across backends. */
function sweep(backend: string, buildS: number, s: Searcher, data: DataSet, want: number[][]): Row & { searcher: Searcher; efValue: number } {
  for (const ef of EFS) {
    const r = recall(s, data, want, ef);
    if (r >= TARGET || ef === EFS.at(-1)) return { backend, buildS, ef: r >= TARGET ? ef : `${ef} (max)`, recall: r, qps: 0, bytesPerVector: s.bytes(), searcher: s, efValue: ef };
  }
  throw new Error('unreachable');
}

/** Rounds of ~300 ms per backend in turn; the median per backend, so load from other processes hits all alike. */
function measureInterleaved(rows: ReturnType<typeof sweep>[], data: DataSet): void {
  const samples = rows.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) rows.forEach((r, i) => samples[i]!.push(qps(r.searcher, data, r.efValue, 300)));
  rows.forEach((r, i) => (r.qps = samples[i]!.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!));
}

function viaIndex(index: VectorIndex, data: DataSet, bytes: () => number): Searcher {
  return { search: (q, qi, ef) => index.search(q.subarray(qi, qi + data.dim), K, { ef }).ids as number[], bytes };
}

function buildIndex(index: VectorIndex, data: DataSet): number {
  const [, s] = timeIt(() => index.add(range(0, data.rows.length / data.dim), data.rows));
  return s;
}

function rawSearcher(raw: RawHnsw, data: DataSet, asArray: boolean, bytes: () => number | string): Searcher {
  return {
    search(q, qi, ef) {
      raw.setEf(ef);
      const row = q.subarray(qi, qi + data.dim);
      return raw.searchKnn(asArray ? Array.from(row) : row, K, undefined).neighbors;
    },
    bytes,
  };
}

function buildRaw(raw: RawHnsw, data: DataSet, asArray: boolean): number {
  const n = data.rows.length / data.dim;
  const [, s] = timeIt(() => {
    for (let i = 0; i < n; i++) {
      const row = data.rows.subarray(i * data.dim, (i + 1) * data.dim);
      raw.addPoint(asArray ? Array.from(row) : row, i, false);
    }
  });
  return s;
}

async function runDataSet(data: DataSet): Promise<Row[]> {
  const n = data.rows.length / data.dim;
  console.log(`\n## ${data.name}: ${n.toLocaleString('en-US')} × ${data.dim}, ${data.metric}, ${data.queries.length / data.dim} queries, M ${M}, efConstruction ${EF_CONSTRUCTION}, recall@${K} target ${TARGET}`);
  const [want, truthS] = timeIt(() => truth(data));
  const rows: ReturnType<typeof sweep>[] = [];
  const report = (row: ReturnType<typeof sweep>): void => {
    rows.push(row);
    console.log(`  ${row.backend}: build ${row.buildS.toFixed(2)} CPU s, ef ${row.ef} → recall ${row.recall.toFixed(3)}`);
  };
  const lib = loadHnswlibNode();
  if (!(lib instanceof Error)) {
    const raw = new lib.HierarchicalNSW(data.metric === 'l2' ? 'l2' : data.metric === 'ip' ? 'ip' : 'cosine', data.dim);
    raw.initIndex(n, M, EF_CONSTRUCTION, 100, false);
    const buildS = buildRaw(raw as unknown as RawHnsw, data, true);
    report(sweep('hnswlib-node (raw)', buildS, rawSearcher(raw as unknown as RawHnsw, data, true, () => 'as hnswlib'), data, want));
  } else console.log(`  hnswlib-node: not available (${lib.message.split('\n')[0]})`);
  if (!skip.has('hnswlib') && !(lib instanceof Error)) {
    const index = createNodeIndex({ backend: 'hnswlib', dim: data.dim, metric: data.metric, M, efConstruction: EF_CONSTRUCTION, capacity: n }).index as HnswlibIndex;
    report(sweep('hnswlib (twinembed)', buildIndex(index, data), viaIndex(index, data, () => index.saveHnswlib().length / n), data, want));
  }
  if (!skip.has('hnsw')) {
    const index = createIndex({ backend: 'hnsw', dim: data.dim, metric: data.metric, M, efConstruction: EF_CONSTRUCTION, capacity: n });
    const bytes = (): number => (index as unknown as { saveHnswlib(): Uint8Array }).saveHnswlib().length / n;
    report(sweep('hnsw (twinembed, TS)', buildIndex(index, data), viaIndex(index, data, bytes), data, want));
  }
  if (!skip.has('wasm')) {
    const wasm = await loadHnswlibWasm();
    if (wasm instanceof Error) console.log(`  hnswlib-wasm: does not load in Node (${wasm.message})`);
    else {
      const raw = wasm(data.metric, data.dim);
      raw.initIndex(n, M, EF_CONSTRUCTION, 100);
      const buildS = buildRaw(raw, data, false);
      report(sweep('hnswlib-wasm (raw)', buildS, rawSearcher(raw, data, false, () => 'as hnswlib'), data, want));
    }
  }
  if (!skip.has('flat')) {
    const index = createIndex({ backend: 'flat', dim: data.dim, metric: data.metric, capacity: n });
    const buildS = buildIndex(index, data);
    report({ ...sweep('flat (exact)', buildS, viaIndex(index, data, () => data.dim * 4), data, want), ef: '-' });
  }
  console.log(`  (ground truth by flat in ${truthS.toFixed(1)} CPU s; q/s: queries per CPU second, median of ${ROUNDS} interleaved rounds, one query per call)`);
  measureInterleaved(rows, data);
  return rows;
}

function table(rows: Row[]): void {
  const base = rows.find((r) => r.backend === 'hnswlib-node (raw)');
  const head = ['backend', 'build CPU s', '× build', 'ef@0.95', 'recall', 'q/s', '× q/s', 'bytes/vector'];
  const body = rows.map((r) => [
    r.backend, r.buildS.toFixed(2), base ? (r.buildS / base.buildS).toFixed(2) : '-', String(r.ef), r.recall.toFixed(3),
    r.qps.toFixed(0), base ? (r.qps / base.qps).toFixed(2) : '-', typeof r.bytesPerVector === 'number' ? r.bytesPerVector.toFixed(0) : r.bytesPerVector,
  ]);
  const widths = head.map((h, i) => body.reduce((m, b) => Math.max(m, b[i]!.length), h.length));
  for (const line of [head, ...body]) console.log(`  ${line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores; ratios are vs hnswlib-node (raw)`);
  const sets: (() => DataSet)[] = [];
  if (args.only !== 'random') {
    if (!hasMnist) console.log('\nMNIST: absent (set TWINEMBED_DATA); skipped');
    else sets.push(() => {
      const { count, dim, vectors } = loadMnistImages();
      return { name: 'MNIST-10k test images', metric: 'l2', dim, rows: vectors.subarray(0, (count - 100) * dim), queries: vectors.subarray((count - 100) * dim) };
    });
  }
  if (args.only !== 'mnist') {
    const n = Number(args.random), q = Number(args.queries), dim = 128;
    sets.push(() => {
      const all = randomUnitVectors(n + q, dim, 1);
      return { name: `random unit vectors`, metric: 'cosine', dim, rows: all.subarray(0, n * dim), queries: all.subarray(n * dim) };
    });
  }
  for (const make of sets) table(await runDataSet(make()));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
