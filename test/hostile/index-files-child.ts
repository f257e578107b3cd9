// Runs in a child process of the hostile tests, because a native crash would take the test runner
// down with it: opens index files with native hnswlib (loadIndex + search, and `twinembed search`)
// and prints one JSON line per attempt, then its peak RSS. Usage:
//   refusals QUERIES.npy FILE…   each file through the library and the CLI
//   open QUERIES.npy FILE        load + search once (for the peak RSS of just that)
//   shadow FILE ROW.npy ID       remove ID, search its row, add it back, search again
//   fuzz FILE…                   load, check consistent (search, save, reload) or report the refusal
import { readFileSync } from 'node:fs';
import { loadIndex, openIndexBytes, parseNpy } from '../../packages/node/src/index.js';
import { checkConsistent } from './fuzz-checks.js';

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const errorOf = (error: unknown) => ({ error: (error as Error).name, message: (error as Error).message, cause: ((error as Error).cause as Error | undefined)?.name });
const rows = (path: string) => parseNpy(new Uint8Array(readFileSync(path)), path).vectors;

async function viaLibrary(file: string, queries: Float32Array) {
  try {
    const { index } = await loadIndex(file, { backend: 'hnswlib' });
    const found = index.searchBatch(queries, 5);
    checkConsistent(index);
    return { ok: true, backend: index.backend, capacity: index.capacity, size: index.size, ids: found.map((r) => r.ids) };
  } catch (error) {
    return errorOf(error);
  }
}

async function fuzzed(file: string) {
  try {
    const { index } = await loadIndex(file, { backend: 'hnswlib' });
    checkConsistent(index, (bytes) => openIndexBytes(bytes, { backend: 'hnswlib' }).index);
    return { ok: true, backend: index.backend };
  } catch (error) {
    return errorOf(error);
  }
}

async function viaCli(file: string, queries: string) {
  const { main } = await import('../../packages/node/src/cli/main.js'); // the CLI loads onnxruntime: only when asked
  let out = '', err = '';
  const code = await main(['search', '--index', file, '--query-vectors', queries, '--backend', 'hnswlib', '--json'], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

async function shadow(file: string, rowFile: string, id: number) {
  const { index } = await loadIndex(file, { backend: 'hnswlib' });
  const row = rows(rowFile);
  const before = index.search(row, 3).ids;
  index.remove([id]);
  const removed = { ids: index.search(row, 3).ids, size: index.size, has: index.has(id) };
  index.add([id], row);
  checkConsistent(index);
  return { before, removed, readded: index.search(row, 3).ids, size: index.size };
}

async function run([mode, a, ...rest]: string[]): Promise<void> {
  if (mode === 'refusals') {
    const queries = rows(a!);
    for (const file of rest) print({ file, library: await viaLibrary(file, queries), cli: await viaCli(file, a!) });
  } else if (mode === 'open') print({ file: rest[0], library: await viaLibrary(rest[0]!, rows(a!)) });
  else if (mode === 'fuzz') for (const file of [a!, ...rest]) print({ file, library: await fuzzed(file) });
  else if (mode === 'shadow') print(await shadow(a!, rest[0]!, Number(rest[1])));
  else throw new Error(`unknown mode ${mode}`);
  print({ maxRssKiB: process.resourceUsage().maxRSS });
}

run(process.argv.slice(2)).catch((error: unknown) => {
  print(errorOf(error));
  process.exitCode = 1;
});
