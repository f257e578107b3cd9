// The twinembed index file: a fixed header, a JSON sidecar (ids, metadata, metric, options)
// and the payload (hnswlib's own bytes for hnsw, raw rows for flat), all under one CRC-32.
// Layout, little-endian: "TWXI" | version u32 | sidecar bytes u32 | payload bytes u64 | crc32 u32.
import { fail } from '../errors.js';
import { crc32 } from './crc32.js';
import type { IndexBackend, Metadata, Metric, VectorId } from './vector-index.js';

const MAGIC = 0x49585754; // "TWXI" read as little-endian u32
const VERSION = 1;
const HEADER_BYTES = 24;
const AREA = 'vector-index';

export interface Sidecar {
  backend: IndexBackend;
  metric: Metric;
  dim: number;
  M: number;
  efConstruction: number;
  ef: number;
  seed: number;
  ids: { labels: number[]; ids: VectorId[]; metadata: (Metadata | null)[] };
}

/** The sidecar every backend writes: its name, its options and its ids. */
export function sidecarFor(backend: IndexBackend, options: Omit<Sidecar, 'backend' | 'ids'>, ids: Sidecar['ids']): Sidecar {
  const { metric, dim, M, efConstruction, ef, seed } = options;
  return { backend, metric, dim, M, efConstruction, ef, seed, ids };
}

export function encodeBundle(sidecar: Sidecar, payload: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(sidecar));
  const out = new Uint8Array(HEADER_BYTES + json.length + payload.length);
  out.set(json, HEADER_BYTES);
  out.set(payload, HEADER_BYTES + json.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  view.setBigUint64(12, BigInt(payload.length), true);
  view.setUint32(20, crc32(out.subarray(HEADER_BYTES)), true);
  return out;
}

export function isBundle(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === MAGIC;
}

export function decodeBundle(bytes: Uint8Array): { sidecar: Sidecar; payload: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) fail(AREA, `cannot load index: expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < HEADER_BYTES || !isBundle(bytes)) fail(AREA, `cannot load index: expected a twinembed index (magic "TWXI"), got ${bytes.length} bytes without it`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = view.getUint32(4, true);
  if (version !== VERSION) fail(AREA, `cannot load index: expected format version ${VERSION}, got ${version}`);
  const jsonBytes = view.getUint32(8, true);
  const payloadBytes = Number(view.getBigUint64(12, true));
  const expected = HEADER_BYTES + jsonBytes + payloadBytes;
  if (bytes.length !== expected) fail(AREA, `cannot load index: expected ${expected} bytes, got ${bytes.length} (truncated or padded)`);
  const body = bytes.subarray(HEADER_BYTES);
  const crc = crc32(body);
  if (crc !== view.getUint32(20, true)) fail(AREA, `cannot load index: checksum mismatch, expected ${view.getUint32(20, true).toString(16)}, got ${crc.toString(16)} (corrupt)`);
  let sidecar: Sidecar;
  try {
    sidecar = JSON.parse(new TextDecoder().decode(body.subarray(0, jsonBytes))) as Sidecar;
  } catch (error) {
    fail(AREA, 'cannot load index: expected a JSON sidecar, got unparsable bytes', error);
  }
  return { sidecar, payload: body.subarray(jsonBytes) };
}
