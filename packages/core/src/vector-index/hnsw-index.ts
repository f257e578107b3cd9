// The pure-TypeScript HNSW backend: hnswlib's algorithm and file layout, caller ids and
// metadata on top. Runs in Node and every browser.
import { fail } from '../errors.js';
import { seededRandom } from '../random.js';
import { encodeBundle, sidecarFor } from './bundle.js';
import { METRICS, normalizeRow } from './distance.js';
import { HnswGraph } from './hnsw-graph.js';
import { insertSlot } from './hnsw-insert.js';
import { greedyDescend, searchLayer, SearchContext } from './hnsw-search.js';
import { updateSlot } from './hnsw-update.js';
import { encodeHnswlib } from './hnswlib-format.js';
import { IdMap, labelPredicate } from './id-map.js';
import { heapToResult } from './search-result.js';
import { checkEf, checkIds, checkQuery, checkK, checkKnown, queryCount, toMatrix, type ResolvedOptions } from './validate.js';
import type { AddOptions, Metadata, SearchOptions, SearchResult, VectorId, VectorIndex, VectorRows } from './vector-index.js';

export class HnswIndex implements VectorIndex {
  readonly backend = 'hnsw' as const;
  readonly dim: number;
  readonly metric;
  private readonly ctx: SearchContext;
  private readonly random: () => number;
  /** Deleted slots, reused by later adds (hnswlib's allow_replace_deleted). */
  private readonly free = new Set<number>();
  private readonly queryRow: Float32Array;

  constructor(readonly options: ResolvedOptions, readonly graph: HnswGraph, private readonly idMap = new IdMap()) {
    this.dim = options.dim;
    this.metric = options.metric;
    this.ctx = new SearchContext(graph.capacity);
    this.queryRow = new Float32Array(options.dim);
    this.random = seededRandom(options.seed); // level draws: seeded, so builds repeat
    for (let slot = 0; slot < graph.count; slot++) if (graph.isDeleted(slot)) this.free.add(slot);
  }

  get size(): number {
    return this.graph.count - this.graph.deletedCount;
  }

  get capacity(): number {
    return this.graph.capacity;
  }

  has(id: VectorId): boolean {
    return this.idMap.has(id);
  }

  metadata(id: VectorId): Metadata | undefined {
    return this.idMap.metadata(id);
  }

  ids(): VectorId[] {
    const out: VectorId[] = [];
    for (let s = 0; s < this.graph.count; s++) if (!this.graph.isDeleted(s)) out.push(this.idMap.id(this.graph.label(s)));
    return out;
  }

  add(ids: readonly VectorId[], vectors: VectorRows, options?: AddOptions): void {
    checkIds(ids, (id) => this.has(id), options);
    const rows = toMatrix(vectors, ids.length, this.dim, METRICS[this.metric].normalize);
    const needed = this.graph.count + ids.length - this.free.size;
    if (needed > this.graph.capacity) this.graph.resize(Math.max(needed, this.graph.capacity * 2));
    ids.forEach((id, r) => {
      const meta = options?.metadata?.[r];
      let label = this.idMap.label(id);
      if (label === undefined) label = this.idMap.assign(id, meta);
      else if (options?.metadata !== undefined) this.idMap.bind(id, label, meta);
      this.place(label, rows.subarray(r * this.dim, (r + 1) * this.dim));
    });
  }

  remove(ids: readonly VectorId[]): void {
    checkKnown(ids, (id) => this.has(id));
    for (const id of ids) {
      const slot = this.graph.slotOfLabel.get(this.idMap.label(id)!)!;
      this.graph.setDeleted(slot, true);
      this.free.add(slot);
      this.idMap.delete(id);
    }
  }

  search(query: Float32Array, k: number, options?: SearchOptions): SearchResult {
    checkQuery(query, this.dim);
    checkK(k);
    checkEf(options?.ef);
    // One query: checked and normalized in a reused row, as toMatrix would, without allocating.
    const row = this.queryRow;
    row.set(query);
    for (let i = 0; i < row.length; i++) {
      if (!Number.isFinite(row[i]!)) fail('vector-index', `non-finite value in queries: expected finite numbers, got ${row[i]} (row 0, column ${i})`);
    }
    if (METRICS[this.metric].normalize) normalizeRow(row, 0, this.dim);
    return this.searchOne(row, 0, k, Math.max(options?.ef ?? this.options.ef, k), this.admitFor(options));
  }

  searchBatch(queries: VectorRows, k: number, options?: SearchOptions): SearchResult[] {
    checkK(k);
    checkEf(options?.ef);
    const count = queryCount(queries, this.dim);
    const q = toMatrix(queries, count, this.dim, METRICS[this.metric].normalize, 'queries');
    const admit = this.admitFor(options);
    const ef = Math.max(options?.ef ?? this.options.ef, k);
    const results: SearchResult[] = [];
    for (let i = 0; i < count; i++) results.push(this.searchOne(q, i * this.dim, k, ef, admit));
    return results;
  }

  save(): Uint8Array {
    return encodeBundle(sidecarFor('hnsw', this.options, this.idMap.toJSON()), this.saveHnswlib());
  }

  /** hnswlib's own index bytes (what hnswlib-node's writeIndex writes), without ids or metadata. */
  saveHnswlib(): Uint8Array {
    return encodeHnswlib(this.graph);
  }

  private admitFor(options: SearchOptions | undefined): ((slot: number) => boolean) | undefined {
    const predicate = labelPredicate(options?.filter, this.idMap);
    return predicate && ((slot: number) => predicate(this.graph.label(slot)));
  }

  private searchOne(q: Float32Array, qi: number, k: number, ef: number, admit?: (slot: number) => boolean): SearchResult {
    const g = this.graph;
    if (this.size === 0) return { ids: [], distances: new Float32Array(0) };
    const start = greedyDescend(g, q, qi, 0);
    const top = searchLayer(g, this.ctx, start, q, qi, 0, ef, admit);
    return heapToResult(top, k, (slot) => g.label(slot), this.idMap);
  }

  /** Writes a row for `label`: in its old slot, a deleted slot, or a new one. */
  private place(label: number, row: Float32Array): void {
    const g = this.graph;
    let slot = g.slotOfLabel.get(label);
    if (slot === undefined && this.free.size > 0) {
      slot = this.free.values().next().value!;
      const old = g.label(slot); // a loaded file may hold this label on another slot too (see hnswlib-check.ts)
      if (g.slotOfLabel.get(old) === slot) g.slotOfLabel.delete(old);
    }
    if (slot === undefined) {
      slot = g.newSlot(Math.floor(-Math.log(1 - this.random()) * g.mult));
      g.setLabel(slot, label);
      g.slotOfLabel.set(label, slot);
      g.f32.set(row, g.dataOffset(slot));
      insertSlot(g, this.ctx, slot);
      return;
    }
    this.free.delete(slot);
    g.setDeleted(slot, false);
    g.setLabel(slot, label);
    g.slotOfLabel.set(label, slot);
    g.f32.set(row, g.dataOffset(slot));
    updateSlot(g, this.ctx, slot);
  }
}
