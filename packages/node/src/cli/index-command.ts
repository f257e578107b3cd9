// `twinembed index build`: vectors (.npy, .f32, JSONL) or texts embedded by a model, into one
// index file under --out. Every input is read and checked before anything is built, and the
// folder is written whole (output-directory.ts), so a bad input or a crash leaves nothing half-written.
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { fail, type IndexBackend, type Metadata, type Metric, type VectorId, type VectorIndex } from '@twinembed/core';
import { loadEmbedder } from '../embed/load-embedder.js';
import { createNodeIndex } from '../hnswlib-index.js';
import { modelInputs } from '../model-inputs.js';
import { FILE_LIMITS, readOptionalText } from '../read-regular-file.js';
import { writeOutputDirectory, type DirectoryFiles } from '../output-directory.js';
import { checkOutput, type CheckOutputOptions } from '../output-path.js';
import { readIdsFile, readJsonlTexts, readJsonlVectors, readVectorsFile, type JsonlRows } from '../vectors-file.js';
import type { CliIo } from './main.js';
import { createProgress, progressEnabled } from './progress.js';
import { positiveInteger } from './option-values.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import { FOLDER_OUTPUT_RULE, overwriteOption } from './output-options.js';

/** The file an index folder holds. */
export const INDEX_FILE = 'index.twinembed';
/** Beside it when built from texts: the model folder that embedded them, for `search --query`. */
export const EMBEDDER_FILE = 'embedder.json';
const BATCH = 1000;

interface BuildOptions {
  vectors?: string;
  dim?: number;
  ids?: string;
  input?: string;
  model?: string;
  idField: string;
  textField: string;
  vectorField: string;
  truncate: boolean;
  metric: Metric;
  backend?: IndexBackend;
  M?: number;
  efConstruction?: number;
  ef?: number;
  out: string;
  json?: boolean;
  overwrite?: boolean;
}


export function registerIndex(program: Command, io: CliIo): void {
  const index = program.command('index').description('build nearest-neighbour indexes');
  index
    .command('build')
    .description('index vectors (.npy, .f32 or JSONL) or texts embedded by a model, into --out')
    .option('--vectors <file>', 'float32 rows: .npy (2-D), or raw little-endian .f32 with --dim')
    .option('--dim <n>', 'row length of a .f32 file (checked for the other inputs)', positiveInteger)
    .option('--ids <file>', 'JSONL, one id (or {"id": …, …metadata}) per vector; default: row numbers from 0')
    .option('--input <file>', 'JSONL rows with a vector field (or a text field with --model), an id and any metadata')
    .addOption(modelOption({ description: 'embed the --input texts with this model' }))
    .option('--id-field <name>', 'id field of JSONL rows', 'id')
    .option('--text-field <name>', 'text field of --input rows (with --model)', 'text')
    .option('--vector-field <name>', 'vector field of --input rows', 'vector')
    .option('--no-truncate', 'refuse a text longer than the model takes (naming it) instead of truncating it')
    .addOption(new Option('--metric <metric>', 'distance').choices(['cosine', 'l2', 'ip']).default('cosine'))
    .addOption(new Option('--backend <backend>', 'index backend (default: hnswlib, or hnsw when hnswlib-node is missing)').choices(['hnsw', 'hnswlib', 'flat']))
    .option('--M <n>', 'links per node (HNSW)', positiveInteger)
    .option('--ef-construction <n>', 'candidate list size while building (HNSW)', positiveInteger)
    .option('--ef <n>', 'default candidate list size for searches (HNSW)', positiveInteger)
    .requiredOption('--out <dir>', `folder to write ${INDEX_FILE} into (created if missing)`)
    .option('--json', 'print a JSON summary instead of text')
    .addOption(overwriteOption())
    .addHelpText('after', FOLDER_OUTPUT_RULE + MODEL_RULE)
    .action((options: BuildOptions) => buildIndex(resolveModelOption(options), io));
}

async function buildIndex(options: BuildOptions, io: CliIo): Promise<void> {
  const started = performance.now();
  const output: CheckOutputOptions = {
    out: options.out, kind: 'dir', what: 'the index', createParents: true, overwrite: options.overwrite,
    inputs: { '--vectors': options.vectors, '--ids': options.ids, '--input': options.input, '--model': await modelInputs(options.model) },
  };
  await checkOutput(output);
  const rows = await readRows(options, io);
  checkUniqueIds(rows.ids);
  const { index, notice } = createNodeIndex({
    backend: options.backend, dim: rows.dim, metric: options.metric, M: options.M,
    efConstruction: options.efConstruction, ef: options.ef, capacity: Math.max(rows.count, 1),
  });
  if (notice !== undefined) io.err(`${notice}\n`);
  addInBatches(index, rows, io, progressEnabled(options.json));
  const target = await checkOutput(output);
  await mkdir(dirname(target.path), { recursive: true }).catch((cause) => fail('io', `cannot create "${dirname(options.out)}": ${(cause as Error).message}`, cause));
  const embedder: DirectoryFiles = options.model === undefined ? {} : { [EMBEDDER_FILE]: { model: resolve(options.model), dim: rows.dim } };
  await writeOutputDirectory({ out: target.path, command: 'index build', what: 'the index', files: { [INDEX_FILE]: index.save(), ...embedder } });
  const path = join(options.out, INDEX_FILE);
  const seconds = (performance.now() - started) / 1000;
  const summary = { path, count: index.size, dim: index.dim, metric: index.metric, backend: index.backend, seconds: Number(seconds.toFixed(3)) };
  io.out(options.json
    ? `${JSON.stringify(summary)}\n`
    : `indexed ${summary.count.toLocaleString('en-US')} vectors (dim ${summary.dim}, ${summary.metric}, ${summary.backend}) in ${seconds.toFixed(1)} s: ${path}\n`);
}

async function readRows(o: BuildOptions, io: CliIo): Promise<JsonlRows> {
  const sources = [o.vectors, o.input].filter((s) => s !== undefined).length;
  if (sources !== 1) fail('cli', `index build: expected exactly one of --vectors FILE or --input FILE.jsonl, got ${sources === 0 ? 'neither' : 'both'}`);
  if (o.model !== undefined) {
    if (o.input === undefined) fail('cli', 'index build: expected --input FILE.jsonl with --model, got --vectors');
    return embedRows(o, io);
  }
  if (o.input !== undefined) {
    if (o.ids !== undefined) fail('cli', 'index build: expected ids inside the --input rows, got --ids as well');
    return readJsonlVectors(o.input, { idField: o.idField, vectorField: o.vectorField, dim: o.dim });
  }
  const matrix = await readVectorsFile(o.vectors!, { dim: o.dim });
  if (o.ids === undefined) return { ...matrix, ids: Array.from({ length: matrix.count }, (_, i) => i), metadata: new Array<undefined>(matrix.count) };
  return { ...matrix, ...(await readIdsFile(o.ids, matrix.count, o.idField)) };
}

async function embedRows(o: BuildOptions, io: CliIo): Promise<JsonlRows> {
  const { texts, ids, metadata } = await readJsonlTexts(o.input!, { idField: o.idField, textField: o.textField });
  const embedder = await loadEmbedder(o.model!, { truncate: o.truncate });
  try {
    if (o.dim !== undefined && o.dim !== embedder.dim) fail('cli', `wrong dimension: expected ${o.dim} (--dim), got ${embedder.dim} from the model "${o.model}"`);
    const progress = createProgress(io, 'embedding', texts.length, progressEnabled(o.json));
    const vectors = await embedder.embedMatrix(texts, { onProgress: (done) => progress.update(done) });
    progress.done();
    return { count: texts.length, dim: embedder.dim, vectors, ids, metadata };
  } finally {
    await embedder.dispose();
  }
}

/** The model recorded by `index build --model`, if any. */
export async function recordedEmbedder(dir: string): Promise<{ model: string; dim: number } | undefined> {
  const text = await readOptionalText(join(dir, EMBEDDER_FILE), { maxBytes: FILE_LIMITS.json });
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as { model: string; dim: number };
    if (typeof record.model === 'string') return record;
  } catch {
    // reported below
  }
  fail('io', `cannot read "${join(dir, EMBEDDER_FILE)}": expected {"model": "<dir>", "dim": n}, got ${JSON.stringify(text.slice(0, 40))}`);
}

function checkUniqueIds(ids: readonly VectorId[]): void {
  const seen = new Set<VectorId>();
  for (const [row, id] of ids.entries()) {
    if (seen.has(id)) fail('cli', `duplicate id: expected unique ids, got ${JSON.stringify(id)} again at row ${row}`);
    seen.add(id);
  }
}

function addInBatches(index: VectorIndex, rows: JsonlRows, io: CliIo, showProgress: boolean): void {
  const progress = createProgress(io, 'indexing', rows.count, showProgress);
  const hasMetadata = rows.metadata.some((m) => m !== undefined);
  for (let start = 0; start < rows.count; start += BATCH) {
    const end = Math.min(start + BATCH, rows.count);
    const metadata: (Metadata | undefined)[] | undefined = hasMetadata ? rows.metadata.slice(start, end) : undefined;
    index.add(rows.ids.slice(start, end), rows.vectors.subarray(start * rows.dim, end * rows.dim), { metadata });
    progress.update(end);
  }
  progress.done();
}
