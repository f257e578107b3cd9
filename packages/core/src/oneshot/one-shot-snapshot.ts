// A one-shot classifier as data: a small JSON manifest (format, metric, the model's fingerprint,
// the labels with their example counts, each part's size and CRC-32), the index file (one prototype
// per label) and the examples' embeddings. Node writes the three as one directory, the browser as
// one IndexedDB value; reading checks every size and checksum before anything is trusted.
import type { Embedder } from '../embed/create-embedder.js';
import { fail } from '../errors.js';
import type { EvalMetric } from '../eval/embedding-matrix.js';
import { crc32 } from '../vector-index/crc32.js';
import type { VectorIndex } from '../vector-index/vector-index.js';
import type { ExampleRows } from './one-shot-classifier.js';
import { AREA } from './one-shot-checks.js';
import { describeFingerprint, modelFingerprint, sameModel, type ModelFingerprint } from './model-fingerprint.js';

export const SNAPSHOT_FORMAT = 'twinembed-oneshot';
export const SNAPSHOT_VERSION = 1;

export interface PartCheck {
  bytes: number;
  /** CRC-32, 8 hex digits. */
  crc32: string;
}

export interface OneShotManifest {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  metric: EvalMetric;
  /** The model that made the embeddings; restoring with another fails. */
  model: ModelFingerprint;
  /** In enrollment order; the examples' rows follow this order, label by label. */
  labels: { label: string; examples: number }[];
  parts: { index: PartCheck; examples: PartCheck };
}

export interface OneShotSnapshot {
  manifest: OneShotManifest;
  /** The index file (VectorIndex.save()): one prototype per label, keyed by label. */
  index: Uint8Array;
  /** Every example's embedding, float32, label by label in manifest order. */
  examples: Uint8Array;
}

const check = (bytes: Uint8Array): PartCheck => ({ bytes: bytes.length, crc32: crc32(bytes).toString(16).padStart(8, '0') });

export function encodeSnapshot(state: { embedder: Embedder; index: VectorIndex; metric: EvalMetric; rows: ExampleRows }): OneShotSnapshot {
  const { embedder, index, metric, rows } = state;
  const dim = embedder.dim;
  const total = [...rows.values()].reduce((n, list) => n + list.length, 0);
  const data = new Float32Array(total * dim);
  let at = 0;
  for (const list of rows.values()) for (const row of list) data.set(row, (at++) * dim);
  const examples = new Uint8Array(data.buffer);
  const indexBytes = index.save();
  const manifest: OneShotManifest = {
    format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, metric, model: modelFingerprint(embedder),
    labels: [...rows].map(([label, list]) => ({ label, examples: list.length })),
    parts: { index: check(indexBytes), examples: check(examples) },
  };
  return { manifest, index: indexBytes, examples };
}

const isCheck = (p: unknown): p is PartCheck => typeof p === 'object' && p !== null && Number.isInteger((p as PartCheck).bytes) && /^[0-9a-f]{8}$/.test(String((p as PartCheck).crc32));

/** The manifest's shape, so that every later step can trust its fields. */
export function checkManifest(m: unknown): OneShotManifest {
  const bad = (what: string): never => fail(AREA, `cannot restore the one-shot classifier: ${what}`);
  if (typeof m !== 'object' || m === null || (m as OneShotManifest).format !== SNAPSHOT_FORMAT) bad(`expected a manifest with format "${SNAPSHOT_FORMAT}", got ${JSON.stringify((m as { format?: unknown } | null)?.format)}`);
  const manifest = m as OneShotManifest;
  if (manifest.version !== SNAPSHOT_VERSION) bad(`expected format version ${SNAPSHOT_VERSION}, got ${JSON.stringify(manifest.version)}`);
  if (manifest.metric !== 'cosine' && manifest.metric !== 'euclidean') bad(`expected metric cosine or euclidean, got ${JSON.stringify(manifest.metric)}`);
  const model = manifest.model;
  if (typeof model !== 'object' || model === null || !Number.isInteger(model.dim) || model.dim < 1 || typeof model.crc32 !== 'string') bad('expected the model\'s fingerprint (dim, modality, bytes, crc32), got none');
  const labelsOk = Array.isArray(manifest.labels) && manifest.labels.every((l) => typeof l?.label === 'string' && Number.isInteger(l.examples) && l.examples >= 1);
  if (!labelsOk) bad('expected labels as [{ label, examples ≥ 1 }], got something else');
  if (new Set(manifest.labels.map((l) => l.label)).size !== manifest.labels.length) bad('expected each label once, got a label twice');
  if (!isCheck(manifest.parts?.index) || !isCheck(manifest.parts?.examples)) bad('expected the size and CRC-32 of the index and the examples, got none');
  return manifest;
}

/** Checks a part's size and checksum against the manifest. */
function checkPart(name: 'index' | 'examples', bytes: unknown, expected: PartCheck): Uint8Array {
  if (!(bytes instanceof Uint8Array)) fail(AREA, `cannot restore the one-shot classifier: expected the ${name} bytes (a Uint8Array), got ${typeof bytes}`);
  const found = check(bytes);
  if (found.bytes !== expected.bytes) fail(AREA, `cannot restore the one-shot classifier: the ${name} should be ${expected.bytes} bytes, got ${found.bytes} (truncated or corrupt)`);
  if (found.crc32 !== expected.crc32) fail(AREA, `cannot restore the one-shot classifier: checksum mismatch in the ${name}, expected CRC-32 ${expected.crc32}, got ${found.crc32} (corrupt)`);
  return bytes;
}

/** The snapshot, once its manifest is well formed and every part has its size and CRC-32 (any model). */
export function checkSnapshot(snapshot: OneShotSnapshot): OneShotSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null) fail(AREA, `cannot restore the one-shot classifier: expected a snapshot { manifest, index, examples }, got ${String(snapshot)}`);
  const manifest = checkManifest(snapshot.manifest);
  const index = checkPart('index', snapshot.index, manifest.parts.index);
  const examples = checkPart('examples', snapshot.examples, manifest.parts.examples);
  return { manifest, index, examples };
}

/** A snapshot's example rows, once its parts check out and `embedder` is the model that made them. */
export function readSnapshot(snapshot: OneShotSnapshot, embedder: Embedder): { manifest: OneShotManifest; rows: ExampleRows; index: Uint8Array } {
  const { manifest, index, examples } = checkSnapshot(snapshot);
  const mine = modelFingerprint(embedder);
  if (!sameModel(manifest.model, mine)) {
    fail(AREA, `cannot restore the one-shot classifier: its examples were embedded by ${describeFingerprint(manifest.model)}, but this embedder is ${describeFingerprint(mine)}: load the model it was saved with, or enroll the examples again`);
  }
  const dim = manifest.model.dim;
  const total = manifest.labels.reduce((n, l) => n + l.examples, 0);
  if (examples.length !== total * dim * 4) fail(AREA, `cannot restore the one-shot classifier: expected ${total} examples × ${dim} floats in the examples, got ${examples.length} bytes`);
  const data = new Float32Array(examples.slice().buffer);
  const rows: ExampleRows = new Map();
  let first = 0;
  for (const { label, examples: n } of manifest.labels) {
    rows.set(label, Array.from({ length: n }, (_, i) => data.slice((first + i) * dim, (first + i + 1) * dim)));
    first += n;
  }
  return { manifest, rows, index };
}
