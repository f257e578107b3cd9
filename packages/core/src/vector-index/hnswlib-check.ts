// The one validator of hnswlib index bytes, run before the TypeScript decoder and before native
// hnswlib alike: every size, count, level, link, vector and label is checked against the bytes
// themselves before anything is sized from them, so a crafted file can neither crash native code
// (which trusts every field) nor claim memory that the file does not hold.
import { fail } from '../errors.js';

export const HNSWLIB_HEADER_BYTES = 96;
/** The largest dimension an index file may declare: real embeddings stay far below it. */
export const MAX_FILE_DIM = 1 << 16;
const AREA = 'vector-index';
const HEADER = HNSWLIB_HEADER_BYTES;
/** hnswlib draws levels as ⌊−ln U · mult⌋ with mult = 1/ln M ≤ 1/ln 2; a larger mult would draw absurd levels. */
const MAX_MULT = 1 / Math.log(2) + 1e-9;

export interface HnswlibHeader {
  capacity: number; count: number; stride: number; labelOffset: number; offsetData: number;
  maxLevel: number; entry: number; maxM: number; maxM0: number; M: number; mult: number; efConstruction: number;
}

export interface HnswlibLayout extends HnswlibHeader {
  /** Upper layers of each slot, and the byte offset of its upper-layer lists (past their size word). */
  levels: Int32Array;
  upperAt: Float64Array;
  /** 1 where a slot is marked deleted. */
  deleted: Uint8Array;
  liveCount: number;
  /** Label → its slot: the live one when there is one. */
  slotOfLabel: Map<number, number>;
  /** Deleted slots carrying a label that another slot owns (hnswlib's replace-deleted can leave these). */
  shadowed: number[];
}

const bad = (what: string): never => fail(AREA, `cannot read hnswlib index: ${what}`);

export function readHnswlibHeader(bytes: Uint8Array): HnswlibHeader {
  if (bytes.length < HEADER) bad(`expected at least ${HEADER} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER);
  const size = (at: number): number => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) bad(`expected a plausible header, got ${v} at byte ${at}`);
    return Number(v);
  };
  if (size(0) !== 0) bad(`expected offsetLevel0 0, got ${size(0)} (not an hnswlib index?)`);
  return {
    capacity: size(8), count: size(16), stride: size(24), labelOffset: size(32), offsetData: size(40),
    maxLevel: view.getInt32(48, true), entry: view.getUint32(52, true),
    maxM: size(56), maxM0: size(64), M: size(72), mult: view.getFloat64(80, true), efConstruction: size(88),
  };
}

function checkHeader(h: HnswlibHeader, dim: number, length: number): void {
  const expect = (ok: boolean, what: string, got: unknown): void => {
    if (!ok) bad(`expected ${what}, got ${String(got)}`);
  };
  expect(h.M >= 2 && h.maxM === h.M && h.maxM0 >= h.M && h.maxM0 < 0x10000, 'M ≥ 2, maxM = M and M ≤ maxM0 < 65536', `M ${h.M}, maxM ${h.maxM}, maxM0 ${h.maxM0}`);
  expect(h.offsetData === 4 + 4 * h.maxM0, `offsetData ${4 + 4 * h.maxM0}`, h.offsetData);
  expect(h.labelOffset === h.offsetData + 4 * dim, `labelOffset ${h.offsetData + 4 * dim} for dim ${dim}`, `${h.labelOffset} (dim ${(h.labelOffset - h.offsetData) / 4})`);
  expect(h.stride === h.labelOffset + 8, `element size ${h.labelOffset + 8}`, h.stride);
  expect(h.capacity <= 0xffffffff, 'max elements below 2^32 (hnswlib numbers elements with 32 bits)', h.capacity);
  expect(h.count <= h.capacity, `element count ≤ max elements ${h.capacity}`, h.count);
  const most = Math.floor((length - HEADER) / (h.stride + 4));
  expect(h.count <= most, `at most ${most} elements in ${length} bytes`, `a header claiming ${h.count} (truncated or corrupt)`);
  const entryOk = h.count === 0 ? h.entry === 0xffffffff && (h.maxLevel === -1 || h.maxLevel === 0) : h.entry < h.count && h.maxLevel >= 0;
  expect(entryOk, h.count === 0 ? 'no entry point in an empty index' : 'an entry point inside the index', `entry ${h.entry}, max level ${h.maxLevel}`);
  expect(Number.isFinite(h.mult) && h.mult > 0 && h.mult <= MAX_MULT, `a level multiplier in (0, ${MAX_MULT.toFixed(4)}]`, h.mult);
  expect(h.efConstruction >= h.M && h.efConstruction <= 0xffffffff, `efConstruction from M ${h.M} to 2^32 − 1`, h.efConstruction);
}

/** Checks hnswlib bytes for an index of `dim` and returns where everything lies; throws on anything out of place. */
export function checkHnswlib(bytes: Uint8Array, dim: number): HnswlibLayout {
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_FILE_DIM) bad(`expected a dimension from 1 to ${MAX_FILE_DIM}, got ${dim}`);
  const h = readHnswlibHeader(bytes);
  checkHeader(h, dim, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const { levels, upperAt } = upperLayers(view, h);
  checkLevels(h, levels);
  checkLinks(view, h, levels, upperAt);
  checkVectors(view, h, dim);
  return { ...h, levels, upperAt, ...readLabels(view, h) };
}

function upperLayers(view: DataView, h: HnswlibHeader): { levels: Int32Array; upperAt: Float64Array } {
  const blockBytes = 4 * (1 + h.M), length = view.byteLength;
  const levels = new Int32Array(h.count), upperAt = new Float64Array(h.count);
  let at = HEADER + h.count * h.stride;
  for (let s = 0; s < h.count; s++) {
    if (at + 4 > length) bad(`expected upper-layer lists for element ${s}, got end of data (truncated)`);
    const size = view.getUint32(at, true);
    if (size % blockBytes !== 0 || at + 4 + size > length) bad(`expected a multiple of ${blockBytes} bytes of lists for element ${s} within the data, got ${size} (corrupt or truncated)`);
    levels[s] = size / blockBytes;
    upperAt[s] = at + 4;
    at += 4 + size;
  }
  if (at !== length) bad(`expected ${at} bytes, got ${length} (trailing data)`);
  return { levels, upperAt };
}

function checkLevels(h: HnswlibHeader, levels: Int32Array): void {
  for (let s = 0; s < h.count; s++) {
    if (levels[s]! > h.maxLevel) bad(`expected levels ≤ ${h.maxLevel}, got ${levels[s]} at element ${s}`);
  }
  if (h.count > 0 && levels[h.entry] !== h.maxLevel) bad(`expected the entry point on the top layer ${h.maxLevel}, got layer ${levels[h.entry]}`);
}

/** Every list must fit its layer's bound and point at an element that exists on that layer. */
function checkLinks(view: DataView, h: HnswlibHeader, levels: Int32Array, upperAt: Float64Array): void {
  const blockBytes = 4 * (1 + h.M), count = h.count;
  for (let s = 0; s < count; s++) {
    const level = levels[s]!;
    for (let l = 0; l <= level; l++) {
      const at = l === 0 ? HEADER + s * h.stride : upperAt[s]! + (l - 1) * blockBytes;
      const n = view.getUint16(at, true), most = l === 0 ? h.maxM0 : h.M;
      if (n > most) bad(`expected at most ${most} links, got ${n} (element ${s}, layer ${l})`);
      for (let j = 1; j <= n; j++) {
        const to = view.getUint32(at + 4 * j, true);
        if (to >= count || levels[to]! < l) bad(`expected links to elements on layer ${l}, got ${to} (element ${s})`);
      }
    }
  }
}

/** Stored vectors are finite: `add` refuses anything else, so other values mean a file we did not write. */
function checkVectors(view: DataView, h: HnswlibHeader, dim: number): void {
  for (let s = 0; s < h.count; s++) {
    const at = HEADER + s * h.stride + h.offsetData;
    for (let j = 0; j < dim; j++) {
      if ((view.getUint32(at + 4 * j, true) & 0x7f800000) === 0x7f800000) bad(`expected finite vectors, got ${view.getFloat32(at + 4 * j, true)} (element ${s}, column ${j})`);
    }
  }
}

/** Labels must be safe integers, and no two live slots may share one (hnswlib maps each label to one slot). */
function readLabels(view: DataView, h: HnswlibHeader): Pick<HnswlibLayout, 'deleted' | 'liveCount' | 'slotOfLabel' | 'shadowed'> {
  const deleted = new Uint8Array(h.count), slotOfLabel = new Map<number, number>(), shadowed: number[] = [];
  let liveCount = 0;
  for (let s = 0; s < h.count; s++) {
    const at = HEADER + s * h.stride;
    deleted[s] = view.getUint8(at + 2) & 1;
    const lo = view.getUint32(at + h.labelOffset, true), hi = view.getUint32(at + h.labelOffset + 4, true);
    if (hi >= 0x200000) bad(`expected labels below 2^53, got ${(BigInt(hi) << 32n) + BigInt(lo)} (element ${s})`);
    const label = hi * 0x100000000 + lo, other = slotOfLabel.get(label);
    if (!deleted[s]) liveCount++;
    if (other === undefined) slotOfLabel.set(label, s);
    else if (!deleted[s] && !deleted[other]) bad(`expected each label on one element, got label ${label} on elements ${other} and ${s}`);
    else if (deleted[s]) shadowed.push(s);
    else {
      shadowed.push(other);
      slotOfLabel.set(label, s);
    }
  }
  return { deleted, liveCount, slotOfLabel, shadowed };
}
