// The `hnswlib` backend: hnswlib-node (native hnswlib) behind the VectorIndex interface,
// taking Float32Array batches and caller ids. When the native build is missing, Node gets the
// TypeScript `hnsw` backend instead, with a one-line notice for the caller to show.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkEf, checkHnswlib, checkIds, checkK, checkLabelsAgainst, checkQuery, checkKnown, createIndex, encodeBundle, sidecarFor, fail, IdMap, labelPredicate,
  queryCount, resolveOptions, toMatrix, type AddOptions, type HnswlibLayout, type IndexOptions, type Metadata, type ResolvedOptions,
  type SearchOptions, type SearchResult, type VectorId, type VectorIndex, type VectorRows,
} from '@twinembed/core';
import type { HierarchicalNSW } from 'hnswlib-node';
import { nativeBytes } from './hnswlib-native-bytes.js';

type Native = typeof import('hnswlib-node');
let native: Native | Error | undefined;

/** hnswlib-node, or the error that kept it from loading. */
export function loadHnswlibNode(): Native | Error {
  if (native === undefined) {
    try {
      native = createRequire(import.meta.url)('hnswlib-node') as Native;
    } catch (error) {
      native = error instanceof Error ? error : new Error(String(error));
    }
  }
  return native;
}

/** hnswlib-node moves whole files only: bytes go through a private temporary folder. */
function viaTempFile<T>(run: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'twinembed-hnswlib-'));
  try {
    return run(join(dir, 'index.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class HnswlibIndex implements VectorIndex {
  readonly backend = 'hnswlib' as const;
  readonly dim: number;
  readonly metric;
  /** Labels we marked deleted; hnswlib may have handed their slots to other labels since. */
  private readonly deleted = new Set<number>();

  constructor(readonly options: ResolvedOptions, private readonly hnsw: HierarchicalNSW, private readonly idMap = new IdMap(), deletedLabels: Iterable<number> = []) {
    this.dim = options.dim;
    this.metric = options.metric;
    for (const label of deletedLabels) this.deleted.add(label);
  }

  get size(): number {
    return this.idMap.size;
  }

  get capacity(): number {
    return this.hnsw.getMaxElements();
  }

  has(id: VectorId): boolean {
    return this.idMap.has(id);
  }

  metadata(id: VectorId): Metadata | undefined {
    return this.idMap.metadata(id);
  }

  ids(): VectorId[] {
    return this.idMap.toJSON().ids;
  }

  add(ids: readonly VectorId[], vectors: VectorRows, options?: AddOptions): void {
    checkIds(ids, (id) => this.has(id), options);
    const rows = toMatrix(vectors, ids.length, this.dim, false);
    const needed = this.size + ids.length; // hnswlib reuses deleted slots first
    if (needed > this.capacity) this.hnsw.resizeIndex(Math.max(needed, 2 * this.capacity));
    ids.forEach((id, r) => {
      const meta = options?.metadata?.[r];
      let label = this.idMap.label(id);
      const isNew = label === undefined;
      if (label === undefined) label = this.idMap.assign(id, meta);
      else if (options?.metadata !== undefined) this.idMap.bind(id, label, meta);
      this.place(label, Array.from(rows.subarray(r * this.dim, (r + 1) * this.dim)), isNew);
    });
  }

  remove(ids: readonly VectorId[]): void {
    checkKnown(ids, (id) => this.has(id));
    for (const id of ids) {
      const label = this.idMap.label(id)!;
      this.hnsw.markDelete(label);
      this.deleted.add(label);
      this.idMap.delete(id);
    }
  }

  search(query: Float32Array, k: number, options?: SearchOptions): SearchResult {
    return this.searchBatch(checkQuery(query, this.dim), k, options)[0]!;
  }

  searchBatch(queries: VectorRows, k: number, options?: SearchOptions): SearchResult[] {
    checkK(k);
    checkEf(options?.ef);
    const count = queryCount(queries, this.dim);
    const q = toMatrix(queries, count, this.dim, false, 'queries');
    const predicate = labelPredicate(options?.filter, this.idMap);
    const n = Math.min(k, this.size);
    this.hnsw.setEf(Math.max(options?.ef ?? this.options.ef, k));
    const results: SearchResult[] = [];
    for (let i = 0; i < count; i++) {
      if (n === 0) {
        results.push({ ids: [], distances: new Float32Array(0) });
        continue;
      }
      const found = this.hnsw.searchKnn(Array.from(q.subarray(i * this.dim, (i + 1) * this.dim)), n, predicate);
      const order = found.neighbors.map((_, j) => j).sort((a, b) => found.distances[a]! - found.distances[b]!);
      results.push({ ids: order.map((j) => this.idMap.id(found.neighbors[j]!)), distances: Float32Array.from(order, (j) => found.distances[j]!) });
    }
    return results;
  }

  save(): Uint8Array {
    return encodeBundle(sidecarFor('hnswlib', this.options, this.idMap.toJSON()), this.saveHnswlib());
  }

  /** hnswlib's own bytes, as hnswlib-node's writeIndex writes them. */
  saveHnswlib(): Uint8Array {
    return viaTempFile((path) => {
      this.hnsw.writeIndexSync(path);
      return new Uint8Array(readFileSync(path));
    });
  }

  private place(label: number, row: number[], isNew: boolean): void {
    if (!isNew) return this.hnsw.addPoint(row, label);
    if (this.deleted.delete(label)) {
      try {
        this.hnsw.unmarkDelete(label);
        return this.hnsw.addPoint(row, label);
      } catch {
        // hnswlib gave that label's slot to another label since: take any free slot below.
      }
    }
    this.hnsw.addPoint(row, label, true);
  }
}

export interface NodeIndexResult {
  index: VectorIndex;
  /** Set when `hnswlib` was asked for (or defaulted to) but could not load: one line saying so. */
  notice?: string;
}

/** An empty index; in Node `backend` defaults to `hnswlib`, falling back to `hnsw` when it is missing. */
export function createNodeIndex(options: IndexOptions): NodeIndexResult {
  const backend = options.backend ?? 'hnswlib';
  if (backend !== 'hnswlib') return { index: createIndex({ ...options, backend }) };
  const resolved = resolveOptions(options);
  const lib = loadHnswlibNode();
  if (lib instanceof Error) {
    const notice = `[twinembed:vector-index] hnswlib-node is not available (${lib.message.split('\n')[0]}); using the TypeScript hnsw backend`;
    return { index: createIndex({ ...options, backend: 'hnsw' }), notice };
  }
  const hnsw = new lib.HierarchicalNSW(resolved.metric, resolved.dim);
  hnsw.initIndex(resolved.capacity, resolved.M, resolved.efConstruction, resolved.seed, true);
  return { index: new HnswlibIndex(resolved, hnsw) };
}

/**
 * Opens hnswlib bytes (raw, or a bundle's payload) with hnswlib-node; `ids` maps labels to caller ids.
 * The bytes are checked in full first (checkHnswlib): native hnswlib trusts every field it reads.
 */
export function openHnswlibBytes(bytes: Uint8Array, options: ResolvedOptions, ids?: IdMap): HnswlibIndex {
  const layout = checkHnswlib(bytes, options.dim);
  let map = ids;
  if (map === undefined) {
    map = new IdMap();
    for (const [label, slot] of layout.slotOfLabel) if (!layout.deleted[slot]) map.bind(label, label, undefined);
  } else checkLabelsAgainst(map.toJSON().labels, layout);
  return openCheckedHnswlib(bytes, layout, options, map);
}

/** `openHnswlibBytes` for bytes whose `layout` checkHnswlib (or checkIndexBytes) already gave, with their ids. */
export function openCheckedHnswlib(bytes: Uint8Array, layout: HnswlibLayout, options: ResolvedOptions, ids: IdMap): HnswlibIndex {
  const lib = loadHnswlibNode();
  if (lib instanceof Error) fail('vector-index', `cannot open with hnswlib: expected hnswlib-node to load, got ${lib.message.split('\n')[0]}`, lib);
  const hnsw = new lib.HierarchicalNSW(options.metric, options.dim);
  const { pieces, deletedLabels } = nativeBytes(bytes, layout);
  viaTempFile((path) => {
    writeFileSync(path, pieces[0]!);
    for (const piece of pieces.slice(1)) appendFileSync(path, piece);
    try {
      hnsw.readIndexSync(path, true);
    } catch (cause) {
      fail('vector-index', `cannot open with hnswlib: expected hnswlib to read a file that passed every check, got ${(cause as Error).message}`, cause);
    }
  });
  return new HnswlibIndex(options, hnsw, ids, deletedLabels);
}
