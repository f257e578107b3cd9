// Boundary checks shared by every backend: they run before any change, so a bad call
// leaves the index exactly as it was.
import { fail } from '../errors.js';
import { normalizeRow } from './distance.js';
import type { AddOptions, IndexOptions, Metric, VectorId, VectorRows } from './vector-index.js';

const AREA = 'vector-index';
const METRIC_NAMES: readonly Metric[] = ['cosine', 'l2', 'ip'];

export interface ResolvedOptions {
  dim: number;
  metric: Metric;
  M: number;
  efConstruction: number;
  ef: number;
  seed: number;
  capacity: number;
}

function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(AREA, `invalid ${name}: expected a positive integer, got ${String(value)}`);
  }
  return value;
}

export function resolveOptions(options: IndexOptions): ResolvedOptions {
  const metric = options.metric ?? 'cosine';
  if (!METRIC_NAMES.includes(metric)) fail(AREA, `unknown metric: expected one of ${METRIC_NAMES.join(', ')}, got ${String(metric)}`);
  const M = positiveInt('M', options.M, 16);
  if (M < 2 || M > 10000) fail(AREA, `invalid M: expected 2 to 10000, got ${M}`);
  return {
    dim: positiveInt('dim', options.dim, 0),
    metric,
    M,
    efConstruction: positiveInt('efConstruction', options.efConstruction, 200),
    ef: positiveInt('ef', options.ef, 64),
    seed: options.seed === undefined ? 100 : Math.trunc(options.seed) >>> 0,
    capacity: positiveInt('capacity', options.capacity, 1024),
  };
}

/** Copies rows into one row-major matrix, checking dimension and finiteness; normalizes if asked. */
export function toMatrix(rows: VectorRows, count: number, dim: number, normalize: boolean, what = 'vectors'): Float32Array {
  let out: Float32Array;
  if (rows instanceof Float32Array) {
    if (rows.length !== count * dim) fail(AREA, `wrong ${what} size: expected ${count} × ${dim} = ${count * dim} values, got ${rows.length}`);
    out = rows.slice();
  } else {
    if (!Array.isArray(rows) || rows.length !== count) fail(AREA, `wrong number of ${what}: expected ${count} rows, got ${Array.isArray(rows) ? rows.length : typeof rows}`);
    out = new Float32Array(count * dim);
    rows.forEach((row, r) => {
      if (!(row instanceof Float32Array)) fail(AREA, `wrong ${what} type: expected Float32Array rows, got ${typeof row} at row ${r}`);
      if (row.length !== dim) fail(AREA, `wrong dimension: expected ${dim}, got ${row.length} (row ${r})`);
      out.set(row, r * dim);
    });
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) fail(AREA, `non-finite value in ${what}: expected finite numbers, got ${out[i]} (row ${Math.floor(i / dim)}, column ${i % dim})`);
  }
  if (normalize) for (let r = 0; r < count; r++) normalizeRow(out, r * dim, dim);
  return out;
}

/** Number of query rows in a batch. */
export function queryCount(queries: VectorRows, dim: number): number {
  if (queries instanceof Float32Array) {
    if (queries.length % dim !== 0 || queries.length === 0) fail(AREA, `wrong query size: expected a multiple of ${dim}, got ${queries.length}`);
    return queries.length / dim;
  }
  return queries.length;
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k <= 0) fail(AREA, `invalid k: expected a positive integer, got ${String(k)}`);
}

export function checkEf(ef: number | undefined): void {
  if (ef !== undefined && (!Number.isInteger(ef) || ef <= 0)) fail(AREA, `invalid ef: expected a positive integer, got ${String(ef)}`);
}

/** Ids must be numbers or strings, unique in the batch, and new unless `replace`. */
export function checkIds(ids: readonly VectorId[], has: (id: VectorId) => boolean, options: AddOptions | undefined): void {
  if (!Array.isArray(ids)) fail(AREA, `invalid ids: expected an array, got ${typeof ids}`);
  const seen = new Set<VectorId>();
  for (const id of ids) {
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) fail(AREA, `invalid id: expected a finite number or a string, got ${String(id)}`);
    if (seen.has(id)) fail(AREA, `duplicate id in batch: expected unique ids, got ${JSON.stringify(id)} twice`);
    seen.add(id);
    if (!options?.replace && has(id)) fail(AREA, `duplicate id: expected a new id (or replace: true), got ${JSON.stringify(id)} which is already indexed`);
  }
  const metadata = options?.metadata;
  if (metadata !== undefined && metadata.length !== ids.length) fail(AREA, `wrong metadata count: expected ${ids.length}, got ${metadata.length}`);
}

export function checkKnown(ids: readonly VectorId[], has: (id: VectorId) => boolean): void {
  const seen = new Set<VectorId>();
  for (const id of ids) {
    if (!has(id)) fail(AREA, `unknown id: expected an indexed id, got ${JSON.stringify(id)}`);
    if (seen.has(id)) fail(AREA, `duplicate id in batch: expected unique ids, got ${JSON.stringify(id)} twice`);
    seen.add(id);
  }
}

/** A single query for `search`: a Float32Array of the index's dimension. */
export function checkQuery(query: Float32Array, dim: number): Float32Array {
  if (!(query instanceof Float32Array) || query.length !== dim) fail('vector-index', `wrong query dimension: expected ${dim}, got ${query?.length}`);
  return query;
}
