// Exact search over one contiguous Float32Array: the oracle for every recall test, and the
// right choice for small collections. Row blocks stay in cache while every query visits them.
import { encodeBundle, sidecarFor } from './bundle.js';
import { METRICS, type MetricSpec } from './distance.js';
import { DistanceHeap } from './heap.js';
import { IdMap, labelPredicate } from './id-map.js';
import { heapToResult } from './search-result.js';
import { checkEf, checkIds, checkQuery, checkK, checkKnown, queryCount, toMatrix, type ResolvedOptions } from './validate.js';
import type { AddOptions, Metadata, SearchOptions, SearchResult, VectorId, VectorIndex, VectorRows } from './vector-index.js';

const ROW_BLOCK = 256;

export class FlatIndex implements VectorIndex {
  readonly backend = 'flat' as const;
  readonly dim: number;
  readonly metric;
  private readonly spec: MetricSpec;
  private vectors: Float32Array;
  private labels: Float64Array;
  private alive: Uint8Array;
  private used = 0;
  private readonly free: number[] = [];
  private readonly slotOf = new Map<number, number>();
  private readonly idMap = new IdMap();

  constructor(private readonly options: ResolvedOptions) {
    this.dim = options.dim;
    this.metric = options.metric;
    this.spec = METRICS[options.metric];
    this.vectors = new Float32Array(options.capacity * options.dim);
    this.labels = new Float64Array(options.capacity);
    this.alive = new Uint8Array(options.capacity);
  }

  get size(): number {
    return this.slotOf.size;
  }

  get capacity(): number {
    return this.labels.length;
  }

  has(id: VectorId): boolean {
    return this.idMap.has(id);
  }

  metadata(id: VectorId): Metadata | undefined {
    return this.idMap.metadata(id);
  }

  ids(): VectorId[] {
    const out: VectorId[] = [];
    for (let s = 0; s < this.used; s++) if (this.alive[s]) out.push(this.idMap.id(this.labels[s]!));
    return out;
  }

  add(ids: readonly VectorId[], vectors: VectorRows, options?: AddOptions): void {
    checkIds(ids, (id) => this.has(id), options);
    const rows = toMatrix(vectors, ids.length, this.dim, this.spec.normalize);
    this.reserve(ids.length);
    ids.forEach((id, r) => {
      const meta = options?.metadata?.[r];
      let label = this.idMap.label(id);
      if (label === undefined) label = this.idMap.assign(id, meta);
      else if (options?.metadata !== undefined) this.idMap.bind(id, label, meta);
      let slot = this.slotOf.get(label);
      if (slot === undefined) {
        slot = this.free.length > 0 ? this.free.pop()! : this.used++;
        this.slotOf.set(label, slot);
      }
      this.vectors.set(rows.subarray(r * this.dim, (r + 1) * this.dim), slot * this.dim);
      this.labels[slot] = label;
      this.alive[slot] = 1;
    });
  }

  remove(ids: readonly VectorId[]): void {
    checkKnown(ids, (id) => this.has(id));
    for (const id of ids) {
      const label = this.idMap.label(id)!;
      const slot = this.slotOf.get(label)!;
      this.alive[slot] = 0;
      this.free.push(slot);
      this.slotOf.delete(label);
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
    const q = toMatrix(queries, count, this.dim, this.spec.normalize, 'queries');
    const admitted = this.admittedSlots(options);
    const heaps = Array.from({ length: count }, () => new DistanceHeap(k + 1, 1));
    for (let start = 0; start < this.used; start += ROW_BLOCK) {
      const end = Math.min(start + ROW_BLOCK, this.used);
      for (let i = 0; i < count; i++) this.scanBlock(q, i, start, end, heaps[i]!, k, admitted);
    }
    return heaps.map((heap) => heapToResult(heap, k, (slot) => this.labels[slot]!, this.idMap));
  }

  save(): Uint8Array {
    const ids = this.idMap.toJSON();
    const rows = new Float32Array(ids.labels.length * this.dim);
    ids.labels.forEach((label, r) => {
      const slot = this.slotOf.get(label)!;
      rows.set(this.vectors.subarray(slot * this.dim, (slot + 1) * this.dim), r * this.dim);
    });
    return encodeBundle(sidecarFor('flat', this.options, ids), new Uint8Array(rows.buffer));
  }

  private scanBlock(q: Float32Array, i: number, start: number, end: number, heap: DistanceHeap, k: number, admitted: Uint8Array): void {
    const dim = this.dim, distance = this.spec.distance, vectors = this.vectors, qi = i * dim;
    for (let s = start; s < end; s++) {
      if (!admitted[s]) continue;
      const d = distance(q, qi, vectors, s * dim, dim);
      if (heap.size < k) heap.push(d, s);
      else if (d < heap.topKey()) {
        heap.pop();
        heap.push(d, s);
      }
    }
  }

  private admittedSlots(options: SearchOptions | undefined): Uint8Array {
    const predicate = labelPredicate(options?.filter, this.idMap);
    if (predicate === undefined) return this.alive;
    const admitted = new Uint8Array(this.used);
    for (let s = 0; s < this.used; s++) admitted[s] = this.alive[s] && predicate(this.labels[s]!) ? 1 : 0;
    return admitted;
  }

  private reserve(extra: number): void {
    const needed = this.used + Math.max(0, extra - this.free.length);
    if (needed <= this.capacity) return;
    const capacity = Math.max(needed, this.capacity * 2);
    const vectors = new Float32Array(capacity * this.dim);
    vectors.set(this.vectors);
    const labels = new Float64Array(capacity);
    labels.set(this.labels);
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.vectors = vectors;
    this.labels = labels;
    this.alive = alive;
  }
}
