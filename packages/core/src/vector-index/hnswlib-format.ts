// hnswlib's index file (HierarchicalNSW::saveIndex / loadIndex), little-endian:
// header of 13 fields (size_t unless noted): offsetLevel0, maxElements, elementCount,
// sizeDataPerElement, labelOffset, offsetData, maxLevel (int32), entryPoint (uint32), maxM,
// maxM0, M, mult (float64), efConstruction; then elementCount level-0 elements of
// sizeDataPerElement bytes; then per element a uint32 byte count and its upper-layer lists.
import { HnswGraph } from './hnsw-graph.js';
import { checkHnswlib, HNSWLIB_HEADER_BYTES as HEADER_BYTES, type HnswlibLayout } from './hnswlib-check.js';
import type { Metric } from './vector-index.js';

export function encodeHnswlib(g: HnswGraph): Uint8Array {
  let upperBytes = 0;
  for (let s = 0; s < g.count; s++) upperBytes += 4 + g.levels[s]! * g.upperWords * 4;
  const level0Bytes = g.count * g.strideBytes;
  const out = new Uint8Array(HEADER_BYTES + level0Bytes + upperBytes);
  const view = new DataView(out.buffer);
  const fields = [0, g.capacity, g.count, g.strideBytes, g.labelWords * 4, g.dataWords * 4];
  fields.forEach((value, i) => view.setBigUint64(i * 8, BigInt(value), true));
  view.setInt32(48, g.maxLevel, true);
  view.setUint32(52, g.entry < 0 ? 0xffffffff : g.entry, true);
  view.setBigUint64(56, BigInt(g.M), true);
  view.setBigUint64(64, BigInt(g.maxM0), true);
  view.setBigUint64(72, BigInt(g.M), true);
  view.setFloat64(80, g.mult, true);
  view.setBigUint64(88, BigInt(g.efConstruction), true);
  out.set(new Uint8Array(g.u32.buffer, 0, level0Bytes), HEADER_BYTES);
  let at = HEADER_BYTES + level0Bytes;
  for (let s = 0; s < g.count; s++) {
    const bytes = g.levels[s]! * g.upperWords * 4;
    view.setUint32(at, bytes, true);
    if (bytes > 0) out.set(new Uint8Array(g.upper[s]!.buffer, 0, bytes), at + 4);
    at += 4 + bytes;
  }
  return out;
}

/** Reads hnswlib bytes into a graph; `layout` is `checkHnswlib`'s verdict on these bytes (computed when absent). */
export function decodeHnswlib(bytes: Uint8Array, dim: number, metric: Metric, layout: HnswlibLayout = checkHnswlib(bytes, dim)): HnswGraph {
  const h = layout;
  const g = new HnswGraph({ dim, metric, M: h.M, maxM0: h.maxM0, efConstruction: h.efConstruction, mult: h.mult, capacity: loadCapacity(h) });
  new Uint8Array(g.u32.buffer, 0, h.count * h.stride).set(bytes.subarray(HEADER_BYTES, HEADER_BYTES + h.count * h.stride));
  g.count = h.count;
  const blockBytes = g.upperWords * 4;
  for (let s = 0; s < h.count; s++) {
    const level = h.levels[s]!, at = h.upperAt[s]!;
    g.levels[s] = level;
    g.upper[s] = level > 0 ? new Uint32Array(bytes.slice(at, at + level * blockBytes).buffer) : null;
    if (h.deleted[s]) g.deletedCount++;
  }
  g.entry = h.count === 0 ? -1 : h.entry;
  g.maxLevel = h.count === 0 ? -1 : h.maxLevel;
  for (const [label, slot] of h.slotOfLabel) g.slotOfLabel.set(label, slot);
  return g;
}

/**
 * Room for the elements a file holds, not for its claimed max elements: that field is a wish, and
 * a tiny file claiming 2^27 of them must not allocate gigabytes (the index grows by doubling on add).
 */
export function loadCapacity(h: Pick<HnswlibLayout, 'count' | 'capacity'>): number {
  return Math.max(h.count, 1, Math.min(h.capacity, Math.max(2 * h.count, 16)));
}
