// hnswlib's index file (HierarchicalNSW::saveIndex / loadIndex), little-endian:
// header of 13 fields (size_t unless noted): offsetLevel0, maxElements, elementCount,
// sizeDataPerElement, labelOffset, offsetData, maxLevel (int32), entryPoint (uint32), maxM,
// maxM0, M, mult (float64), efConstruction; then elementCount level-0 elements of
// sizeDataPerElement bytes; then per element a uint32 byte count and its upper-layer lists.
import { fail } from '../errors.js';
import { HnswGraph } from './hnsw-graph.js';
import type { Metric } from './vector-index.js';

const HEADER_BYTES = 96;
const AREA = 'vector-index';

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

interface Header {
  capacity: number; count: number; stride: number; labelOffset: number; offsetData: number;
  maxLevel: number; entry: number; maxM: number; maxM0: number; M: number; mult: number; efConstruction: number;
}

function readHeader(bytes: Uint8Array): Header {
  if (bytes.length < HEADER_BYTES) fail(AREA, `cannot read hnswlib index: expected at least ${HEADER_BYTES} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const size = (at: number): number => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(AREA, `cannot read hnswlib index: expected a plausible header, got ${v} at byte ${at}`);
    return Number(v);
  };
  if (size(0) !== 0) fail(AREA, `cannot read hnswlib index: expected offsetLevel0 0, got ${size(0)} (not an hnswlib index?)`);
  return {
    capacity: size(8), count: size(16), stride: size(24), labelOffset: size(32), offsetData: size(40),
    maxLevel: view.getInt32(48, true), entry: view.getUint32(52, true),
    maxM: size(56), maxM0: size(64), M: size(72), mult: view.getFloat64(80, true), efConstruction: size(88),
  };
}

function checkHeader(h: Header, dim: number, length: number): void {
  const expect = (ok: boolean, what: string, got: unknown): void => {
    if (!ok) fail(AREA, `cannot read hnswlib index: expected ${what}, got ${String(got)}`);
  };
  expect(h.M >= 2 && h.maxM === h.M && h.maxM0 >= h.M && h.maxM0 < 0x10000, 'M ≥ 2, maxM = M and maxM0 < 65536', `M ${h.M}, maxM ${h.maxM}, maxM0 ${h.maxM0}`);
  expect(h.offsetData === 4 + 4 * h.maxM0, `offsetData ${4 + 4 * h.maxM0}`, h.offsetData);
  expect(h.labelOffset === h.offsetData + 4 * dim, `labelOffset ${h.offsetData + 4 * dim} for dim ${dim}`, `${h.labelOffset} (dim ${(h.labelOffset - h.offsetData) / 4})`);
  expect(h.stride === h.labelOffset + 8, `element size ${h.labelOffset + 8}`, h.stride);
  expect(h.count <= h.capacity, `element count ≤ max elements ${h.capacity}`, h.count);
  expect(HEADER_BYTES + h.count * h.stride + 4 * h.count <= length, `at least ${HEADER_BYTES + h.count * (h.stride + 4)} bytes for ${h.count} elements`, `${length} (truncated)`);
  expect(h.count === 0 ? h.maxLevel === -1 || h.maxLevel === 0 : h.entry < h.count && h.maxLevel >= 0, 'an entry point inside the index', `entry ${h.entry}, max level ${h.maxLevel}`);
  expect(Number.isFinite(h.mult) && h.mult > 0, 'a positive level multiplier', h.mult);
}

/** Reads hnswlib bytes into a graph; every count, link and size is checked first. */
export function decodeHnswlib(bytes: Uint8Array, dim: number, metric: Metric): HnswGraph {
  const h = readHeader(bytes);
  checkHeader(h, dim, bytes.length);
  const g = new HnswGraph({ dim, metric, M: h.M, maxM0: h.maxM0, efConstruction: h.efConstruction, mult: h.mult, capacity: loadCapacity(h) });
  const level0 = bytes.slice(HEADER_BYTES, HEADER_BYTES + h.count * h.stride);
  g.u32.set(new Uint32Array(level0.buffer, 0, level0.length / 4));
  g.count = h.count;
  readUpperLayers(bytes, HEADER_BYTES + h.count * h.stride, g);
  checkLinks(g, h.maxLevel);
  if (h.count > 0 && g.levels[h.entry] !== h.maxLevel) fail(AREA, `cannot read hnswlib index: expected the entry point on the top layer ${h.maxLevel}, got layer ${g.levels[h.entry]}`);
  g.entry = h.count === 0 ? -1 : h.entry;
  g.maxLevel = h.count === 0 ? -1 : h.maxLevel;
  for (let s = 0; s < g.count; s++) {
    if (g.isDeleted(s)) g.deletedCount++;
    g.slotOfLabel.set(g.label(s), s);
  }
  return g;
}

/** hnswlib's max elements, unless far beyond the element count (then room to double). */
function loadCapacity(h: Header): number {
  return Math.max(h.count, 1, Math.min(h.capacity, Math.max(2 * h.count, 1024)));
}

/** Labels of the elements not marked deleted, read straight from hnswlib bytes. */
export function hnswlibLiveLabels(bytes: Uint8Array): number[] {
  const h = readHeader(bytes);
  if (HEADER_BYTES + h.count * h.stride > bytes.length || h.labelOffset + 8 > h.stride) fail(AREA, `cannot read hnswlib index: expected ${h.count} elements of ${h.stride} bytes, got ${bytes.length} bytes (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const labels: number[] = [];
  for (let s = 0; s < h.count; s++) {
    const at = HEADER_BYTES + s * h.stride;
    if (view.getUint8(at + 2) & 1) continue;
    labels.push(view.getUint32(at + h.labelOffset, true) + view.getUint32(at + h.labelOffset + 4, true) * 0x100000000);
  }
  return labels;
}

function readUpperLayers(bytes: Uint8Array, start: number, g: HnswGraph): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const blockBytes = g.upperWords * 4;
  let at = start;
  for (let s = 0; s < g.count; s++) {
    if (at + 4 > bytes.length) fail(AREA, `cannot read hnswlib index: expected upper-layer lists for element ${s}, got end of data (truncated)`);
    const size = view.getUint32(at, true);
    if (size % blockBytes !== 0 || at + 4 + size > bytes.length) fail(AREA, `cannot read hnswlib index: expected a multiple of ${blockBytes} bytes of lists for element ${s} within the data, got ${size} (corrupt or truncated)`);
    g.levels[s] = size / blockBytes;
    g.upper[s] = size > 0 ? new Uint32Array(bytes.slice(at + 4, at + 4 + size).buffer) : null;
    at += 4 + size;
  }
  if (at !== bytes.length) fail(AREA, `cannot read hnswlib index: expected ${at} bytes, got ${bytes.length} (trailing data)`);
}

/** Every list must fit its layer's bound and point at an element that exists on that layer. */
function checkLinks(g: HnswGraph, maxLevel: number): void {
  for (let s = 0; s < g.count; s++) {
    const level = g.levels[s]!;
    if (level > maxLevel) fail(AREA, `cannot read hnswlib index: expected levels ≤ ${maxLevel}, got ${level} at element ${s}`);
    for (let l = 0; l <= level; l++) {
      const links = g.linkArray(s, l), at = g.linkOffset(s, l), n = links[at]! & 0xffff;
      if (n > (l === 0 ? g.maxM0 : g.M)) fail(AREA, `cannot read hnswlib index: expected at most ${l === 0 ? g.maxM0 : g.M} links, got ${n} (element ${s}, layer ${l})`);
      for (let j = 1; j <= n; j++) {
        const to = links[at + j]!;
        if (to >= g.count || g.levels[to]! < l) fail(AREA, `cannot read hnswlib index: expected links to elements on layer ${l}, got ${to} (element ${s})`);
      }
    }
  }
}
