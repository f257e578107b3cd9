// HNSW storage laid out exactly as hnswlib's: one buffer of fixed-stride elements
// [link count u16 | flags u8 | pad u8 | 2M links u32 | dim floats | label u64], and per element
// a block of upper-layer lists [count u32 | M links u32] × level. Saving is a copy of these bytes.
import { METRICS, type DistanceFn } from './distance.js';
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

  constructor(shape: GraphShape) {
    this.dim = shape.dim;
    this.M = shape.M;
    this.maxM0 = shape.maxM0;
    this.efConstruction = Math.max(shape.efConstruction, shape.M);
    this.mult = shape.mult;
    this.distance = METRICS[shape.metric].distance;
    this.dataWords = 1 + shape.maxM0;
    this.labelWords = this.dataWords + shape.dim;
    this.strideWords = this.labelWords + 2;
    this.upperWords = 1 + shape.M;
    this.u32 = new Uint32Array(shape.capacity * this.strideWords);
    this.f32 = new Float32Array(this.u32.buffer);
    this.levels = new Int32Array(shape.capacity);
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
    const u32 = new Uint32Array(capacity * this.strideWords);
    u32.set(this.u32.subarray(0, this.count * this.strideWords));
    const levels = new Int32Array(capacity);
    levels.set(this.levels.subarray(0, this.count));
    this.u32 = u32;
    this.f32 = new Float32Array(u32.buffer);
    this.levels = levels;
  }
}
