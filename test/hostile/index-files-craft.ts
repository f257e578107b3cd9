// Hostile index files: valid indexes of each backend, and edits of their fields with the bundle's
// CRC-32 recomputed, so what is exercised is the checking behind the checksum. Field offsets come
// from hnswlib's layout (hnswalg.h saveIndex), read here independently of the code under test.
import { crc32, encodeBundle, type Sidecar, type VectorIndex } from '../../packages/core/src/index.js';
import { randomUnitVectors, range } from '../support/vector-data.js';

const BUNDLE_HEADER = 24;
export const HEADER = 96;

/** hnswlib header fields: byte offset and width (size_t fields are 8 bytes). */
export const FIELDS = {
  capacity: [8, 8], count: [16, 8], stride: [24, 8], labelOffset: [32, 8], offsetData: [40, 8], maxLevel: [48, 4],
  entry: [52, 4], maxM: [56, 8], maxM0: [64, 8], M: [72, 8], mult: [80, 8], efConstruction: [88, 8],
} as const;
export type Field = keyof typeof FIELDS;

/** n seeded unit vectors of dim, with ids 0…n-1 (labels equal to ids) and metadata. */
export function filledIndex(make: (dim: number) => VectorIndex, n: number, dim: number, seed: number): { index: VectorIndex; rows: Float32Array } {
  const index = make(dim);
  const rows = randomUnitVectors(n, dim, seed);
  index.add(range(0, n), rows, { metadata: range(0, n).map((i) => ({ group: i % 3 })) });
  return { index, rows };
}

export function payloadAt(bundle: Uint8Array): number {
  return BUNDLE_HEADER + new DataView(bundle.buffer, bundle.byteOffset).getUint32(8, true);
}

/** The bundle with its payload-length field and CRC set to match its bytes. */
export function resealed(bundle: Uint8Array): Uint8Array {
  const view = new DataView(bundle.buffer, bundle.byteOffset, bundle.length);
  view.setBigUint64(12, BigInt(bundle.length - payloadAt(bundle)), true);
  view.setUint32(20, crc32(bundle.subarray(BUNDLE_HEADER)), true);
  return bundle;
}

export function sidecarOf(bundle: Uint8Array): Sidecar {
  return JSON.parse(new TextDecoder().decode(bundle.subarray(BUNDLE_HEADER, payloadAt(bundle)))) as Sidecar;
}

/** A copy with the sidecar edited (re-encoded, so a valid checksum). */
export function withSidecar(bundle: Uint8Array, edit: (s: Sidecar) => unknown): Uint8Array {
  const sidecar = sidecarOf(bundle);
  const replaced = edit(sidecar);
  return encodeBundle((replaced ?? sidecar) as Sidecar, bundle.slice(payloadAt(bundle)));
}

/** Where things lie in an hnswlib payload, walked from its header. */
export interface PayloadMap {
  count: number; stride: number; labelOffset: number; offsetData: number; maxLevel: number; entry: number;
  levels: number[];
  /** Payload offset of slot s's layer-l list (l ≥ 1). */
  upper: (s: number, l: number) => number;
}

export function payloadMap(payload: Uint8Array): PayloadMap {
  const v = new DataView(payload.buffer, payload.byteOffset, payload.length);
  const size = (at: number) => Number(v.getBigUint64(at, true));
  const count = size(16), stride = size(24), M = size(72);
  const levels: number[] = [], upperAt: number[] = [];
  let at = HEADER + count * stride;
  for (let s = 0; s < count; s++) {
    const bytes = v.getUint32(at, true);
    levels.push(bytes / (4 * (1 + M)));
    upperAt.push(at + 4);
    at += 4 + bytes;
  }
  return {
    count, stride, labelOffset: size(32), offsetData: size(40), maxLevel: v.getInt32(48, true), entry: v.getUint32(52, true), levels,
    upper: (s, l) => upperAt[s]! + (l - 1) * 4 * (1 + M),
  };
}

/** A copy with the hnswlib payload edited in place (through a DataView over it), resealed. */
export function withPayload(bundle: Uint8Array, edit: (view: DataView, map: PayloadMap) => void): Uint8Array {
  const out = bundle.slice();
  const at = payloadAt(out);
  const view = new DataView(out.buffer, at, out.length - at);
  edit(view, payloadMap(out.subarray(at)));
  return resealed(out);
}

/** Sets a header field (numbers up to 2^53; mult as float64). */
export function setField(view: DataView, field: Field, value: number | bigint): void {
  const [at, width] = FIELDS[field];
  if (field === 'mult') view.setFloat64(at, Number(value), true);
  else if (width === 8) view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
  else view.setUint32(at, Number(BigInt.asUintN(32, BigInt(value))), true);
}

export function setLabel(view: DataView, map: PayloadMap, slot: number, label: number): void {
  const at = HEADER + slot * map.stride + map.labelOffset;
  view.setUint32(at, label % 0x100000000, true);
  view.setUint32(at + 4, Math.floor(label / 0x100000000), true);
}

export function setDeleted(view: DataView, map: PayloadMap, slot: number): void {
  const at = HEADER + slot * map.stride + 2;
  view.setUint8(at, view.getUint8(at) | 1);
}
