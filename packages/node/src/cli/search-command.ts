// `twinembed search`: the k nearest neighbours of query vectors (or texts, once embedding lands)
// in an index folder from `twinembed index build`, one result per query, in order.
import { stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { Command, Option } from 'commander';
import { fail, type Metadata, type SearchResult, type VectorIndex } from '@twinembed/core';
import { loadEmbedder } from '../embed/load-embedder.js';
import { loadIndex } from '../index-file.js';
import { readJsonlVectors, readVectorsFile } from '../vectors-file.js';
import { INDEX_FILE, recordedEmbedder } from './index-command.js';
import { positiveInteger } from './option-values.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import type { CliIo } from './main.js';

interface SearchCommandOptions {
  index: string;
  queryVectors?: string;
  query?: string[];
  model?: string;
  k: number;
  ef?: number;
  filter?: string;
  backend?: 'hnsw' | 'hnswlib';
  json?: boolean;
  truncate: boolean;
}

interface QueryResult {
  ids: (number | string)[];
  distances: number[];
  metadata?: (Metadata | null)[];
}

export function registerSearch(program: Command, io: CliIo): void {
  program
    .command('search')
    .description('find the k nearest neighbours of query vectors in an index')
    .requiredOption('--index <dir>', `an index folder from "twinembed index build" (or its ${INDEX_FILE})`)
    .option('--query-vectors <file>', 'queries: .npy, .f32 (the index dimension) or JSONL rows with a "vector" field')
    .option('--query <text...>', 'query texts, embedded with the model the index was built with (or --model)')
    .addOption(modelOption({ description: 'embed --query texts with this model instead of the recorded one' }))
    .option('-k, --k <n>', 'neighbours per query', positiveInteger, 10)
    .option('--ef <n>', 'candidate list size (HNSW); default: the index default', positiveInteger)
    .option('--filter <json>', 'only ids whose metadata has these field values, e.g. \'{"lang":"en"}\' (an array means one of)')
    .addOption(new Option('--backend <backend>', 'open an HNSW index with this backend (default: the one that built it)').choices(['hnsw', 'hnswlib']))
    .option('--no-truncate', 'refuse a text longer than the model takes (naming it) instead of truncating it')
    .option('--json', 'print {"results":[{"ids":[…],"distances":[…]}]}')
    .addHelpText('after', MODEL_RULE)
    .action((options: SearchCommandOptions) => runSearch(resolveModelOption(options), io));
}

async function runSearch(options: SearchCommandOptions, io: CliIo): Promise<void> {
  const sources = [options.queryVectors, options.query].filter((s) => s !== undefined).length;
  if (sources !== 1) fail('cli', `search: expected exactly one of --query-vectors FILE or --query TEXT, got ${sources === 0 ? 'neither' : 'both'}`);
  const filter = parseFilter(options.filter);
  const { path, dir } = await indexPath(options.index);
  const { index, notice } = await loadIndex(path, { backend: options.backend });
  if (notice !== undefined) io.err(`${notice}\n`);
  const queries = options.query ? await embedQueries(options.query, options.model, dir, index.dim, options.truncate) : await readQueries(options.queryVectors!, index.dim);
  const found = index.searchBatch(queries, options.k, { ef: options.ef, filter });
  const results = found.map((r) => withMetadata(r, index));
  io.out(options.json ? `${JSON.stringify({ results })}\n` : formatResults(results));
}

async function indexPath(given: string): Promise<{ path: string; dir: string }> {
  const info = await stat(given).catch(() => fail('io', `cannot read index "${given}": no such file or directory`));
  return info.isDirectory() ? { path: join(given, INDEX_FILE), dir: given } : { path: given, dir: dirname(given) };
}

async function embedQueries(texts: string[], model: string | undefined, dir: string, dim: number, truncate: boolean): Promise<Float32Array> {
  const modelDir = model ?? (await recordedEmbedder(dir))?.model;
  if (modelDir === undefined) fail('cli', `search --query: expected --model DIR, or an index built with --model; "${dir}" records no model`);
  const embedder = await loadEmbedder(modelDir, { truncate });
  try {
    if (embedder.dim !== dim) fail('cli', `search --query: the model "${modelDir}" embeds to ${embedder.dim} dimensions, expected the index dimension ${dim}`);
    return await embedder.embedMatrix(texts);
  } finally {
    await embedder.dispose();
  }
}

function parseFilter(text: string | undefined): Metadata | undefined {
  if (text === undefined) return undefined;
  let filter: unknown;
  try {
    filter = JSON.parse(text);
  } catch (cause) {
    fail('cli', `invalid --filter: expected a JSON object, got ${JSON.stringify(text)}`, cause);
  }
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) fail('cli', `invalid --filter: expected a JSON object of field values, got ${text}`);
  return filter as Metadata;
}

async function readQueries(file: string, dim: number): Promise<Float32Array> {
  if (extname(file).toLowerCase() === '.jsonl') return (await readJsonlVectors(file, { dim })).vectors;
  return (await readVectorsFile(file, { dim, dimFrom: 'the index dimension' })).vectors;
}

function withMetadata(result: SearchResult, index: VectorIndex): QueryResult {
  const out: QueryResult = { ids: result.ids, distances: Array.from(result.distances) };
  const metadata = result.ids.map((id) => index.metadata(id) ?? null);
  if (metadata.some((m) => m !== null)) out.metadata = metadata;
  return out;
}

function formatResults(results: QueryResult[]): string {
  const lines: string[] = [];
  results.forEach((r, q) => {
    lines.push(`query ${q}:`);
    r.ids.forEach((id, j) => {
      const meta = r.metadata?.[j];
      lines.push(`  ${j + 1}. ${JSON.stringify(id)}  ${r.distances[j]!.toPrecision(6)}${meta ? `  ${JSON.stringify(meta)}` : ''}`);
    });
  });
  return `${lines.join('\n')}\n`;
}
