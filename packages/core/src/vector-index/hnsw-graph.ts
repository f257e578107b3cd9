// HNSW storage laid out exactly as hnswlib's: one buffer of fixed-stride elements
// [link count u16 | flags u8 | pad u8 | 2M links u32 | dim floats | label u64], and per element
// a block of upper-layer lists [count u32 | M links u32] × level. Saving is a copy of these bytes.
// Where WebAssembly SIMD exists and dim is a multiple of 4, the buffer is a wasm memory (graph at
// byte 0, then one query row and one batch of slots and distances) and distances run in
// wasm-distance.ts's kernels (several times faster than plain JS; see bench/vector-index.ts).
import { fail } from '../errors.js';
import { METRICS, type DistanceFn } from './distance.js';
import { createWasmKernels, PAGE_BYTES, type WasmKernels } from './wasm-distance.js';
import type { Metric } from './vector-index.js';

export const DELETED_BIT = 0x10000; // byte 2 of the level-0 count word, bit 0: hnswlib's DELETE_MARK

export interface GraphShape {
  dim: number;
  metric: Metric;
  M: number;
  maxM0: number;
  efConstruction: number;
  mult: number;
  capacity: number;
}

export class HnswGraph {
  readonly dim: number;
  readonly M: number;
  readonly maxM0: number;
  readonly efConstruction: number;
  readonly mult: number;
  readonly distance: DistanceFn;
  /** Words per element, and the word offsets of the vector and the label inside one. */
  readonly strideWords: number;
  readonly dataWords: number;
  readonly labelWords: number;
  readonly upperWords: number;
  u32: Uint32Array;
  f32: Float32Array;
  levels: Int32Array;
  upper: (Uint32Array | null)[] = [];
  count = 0;
  entry = -1;
  maxLevel = -1;
  deletedCount = 0;
  /** Label → slot for every slot, deleted ones included (as hnswlib's label_lookup_). */
  readonly slotOfLabel = new Map<number, number>();
  /** Set when the buffer lives in wasm memory: then `distance` reads only `f32`, and outside queries are staged. */
  private readonly kernels: WasmKernels | undefined;
  private readonly metricSpace: 'l2' | 'ip';
  /** Word offset in `f32` of the staged query row (wasm only). */
  private scratch = 0;
  /** Slots to measure in one `distanceMany` call, and their distances (in wasm memory when wasm is used). */
  batchSlots = new Uint32Array(0);
  batchDistances: Float32Array | Float64Array = new Float64Array(0);

  constructor(shape: GraphShape) {
    this.dim = shape.dim;
    this.M = shape.M;
    this.maxM0 = shape.maxM0;
    this.efConstruction = Math.max(shape.efConstruction, shape.M);
    this.mult = shape.mult;
    this.dataWords = 1 + shape.maxM0;
    this.labelWords = this.dataWords + shape.dim;
    this.strideWords = this.labelWords + 2;
    this.upperWords = 1 + shape.M;
    this.metricSpace = METRICS[shape.metric].space;
    this.kernels = shape.dim % 4 === 0 ? createWasmKernels(this.wordsFor(shape.capacity) * 4) : undefined;
    this.distance = this.kernels ? wasmDistance(this.kernels, shape.metric) : METRICS[shape.metric].distance;
    this.u32 = new Uint32Array(0);
    this.f32 = new Float32Array(0);
    this.levels = new Int32Array(0);
    this.resize(shape.capacity);
  }

  /** Words of buffer for `capacity` elements, plus the staged query row and one batch of slots and distances. */
  private wordsFor(capacity: number): number {
    return capacity * this.strideWords + this.dim + 2 * this.maxM0;
  }

  /** Distances from the (staged) query at `q[qi…]` to the first `count` slots of `batchSlots`, into `batchDistances`. */
  distanceMany(q: Float32Array, qi: number, count: number): void {
    const slots = this.batchSlots, out = this.batchDistances;
    if (this.kernels) {
      const many = this.metricSpace === 'l2' ? this.kernels.l2Many : this.kernels.ipMany;
      many(qi << 2, slots.byteOffset, count, out.byteOffset, this.dim, this.strideWords << 2, this.dataWords << 2);
      return;
    }
    for (let t = 0; t < count; t++) out[t] = this.distance(q, qi, this.f32, this.dataOffset(slots[t]!), this.dim);
  }

  /** Where the query row `q[qi…]` is readable by `distance` as `f32[result…]`: staged in wasm memory if needed. */
  stage(q: Float32Array, qi: number): number {
    if (this.kernels === undefined || q === this.f32) return qi;
    this.f32.set(q.subarray(qi, qi + this.dim), this.scratch);
    return this.scratch;
  }

  /** The array `stage` made the query readable from. */
  queryArray(q: Float32Array): Float32Array {
    return this.kernels === undefined ? q : this.f32;
  }

  get capacity(): number {
    return this.levels.length;
  }

  get strideBytes(): number {
    return this.strideWords * 4;
  }

  /** Word offset of a slot's vector in `f32`. */
  dataOffset(slot: number): number {
    return slot * this.strideWords + this.dataWords;
  }

  /** The array holding a slot's list at `level`; its count word is at `linkOffset`. */
  linkArray(slot: number, level: number): Uint32Array {
    return level === 0 ? this.u32 : this.upper[slot]!;
  }

  linkOffset(slot: number, level: number): number {
    return level === 0 ? slot * this.strideWords : (level - 1) * this.upperWords;
  }

  label(slot: number): number {
    const at = slot * this.strideWords + this.labelWords;
    return this.u32[at]! + this.u32[at + 1]! * 0x100000000;
  }

  setLabel(slot: number, label: number): void {
    const at = slot * this.strideWords + this.labelWords;
    this.u32[at] = label % 0x100000000;
    this.u32[at + 1] = Math.floor(label / 0x100000000);
  }

  isDeleted(slot: number): boolean {
    return (this.u32[slot * this.strideWords]! & DELETED_BIT) !== 0;
  }

  setDeleted(slot: number, deleted: boolean): void {
    const at = slot * this.strideWords;
    if (deleted === this.isDeleted(slot)) return;
    this.u32[at] = deleted ? this.u32[at]! | DELETED_BIT : this.u32[at]! & ~DELETED_BIT;
    this.deletedCount += deleted ? 1 : -1;
  }

  /** Distance between two stored elements. */
  between(a: number, b: number): number {
    return this.distance(this.f32, this.dataOffset(a), this.f32, this.dataOffset(b), this.dim);
  }

  /** Takes a fresh slot with blank lists for `level` upper layers. */
  newSlot(level: number): number {
    if (this.count === this.capacity) this.resize(this.capacity * 2);
    const slot = this.count++;
    this.u32.fill(0, slot * this.strideWords, (slot + 1) * this.strideWords);
    this.levels[slot] = level;
    this.upper[slot] = level > 0 ? new Uint32Array(level * this.upperWords) : null;
    return slot;
  }

  resize(capacity: number): void {
    const words = this.wordsFor(capacity);
    if (this.kernels) {
      // Growing keeps the bytes in place; the views over the old buffer are detached and replaced.
      const memory = this.kernels.memory, missing = words * 4 - memory.buffer.byteLength;
      try {
        if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
      } catch (cause) {
        fail('vector-index', `cannot grow the index to ${capacity} elements: expected ${words * 4} bytes of WebAssembly memory, got ${(cause as Error).message}`, cause);
      }
      this.u32 = new Uint32Array(memory.buffer, 0, words);
      this.scratch = capacity * this.strideWords;
      const batchAt = (this.scratch + this.dim) * 4;
      this.batchSlots = new Uint32Array(memory.buffer, batchAt, this.maxM0);
      this.batchDistances = new Float32Array(memory.buffer, batchAt + this.maxM0 * 4, this.maxM0);
    } else {
      const u32 = new Uint32Array(words);
      u32.set(this.u32.subarray(0, this.count * this.strideWords));
      this.u32 = u32;
      if (this.batchSlots.length === 0) {
        this.batchSlots = new Uint32Array(this.maxM0);
        this.batchDistances = new Float64Array(this.maxM0);
      }
    }
    this.f32 = new Float32Array(this.u32.buffer, 0, words);
    const levels = new Int32Array(capacity);
    levels.set(this.levels.subarray(0, this.count));
    this.levels = levels;
  }
}

/** A DistanceFn over the graph's own wasm memory: both rows must be in `f32` (see `stage`). */
function wasmDistance(kernels: WasmKernels, metric: Metric): DistanceFn {
  const kernel = METRICS[metric].space === 'l2' ? kernels.l2 : kernels.ip;
  return (_a, ai, _b, bi, dim) => kernel(ai << 2, bi << 2, dim);
}
