// A loaded index file must be whole and self-consistent, or refused: its checksum, its sidecar's
// fields and ids, its payload (hnswlib-check.ts) and the match between the two are all checked here,
// once, for every backend (the TypeScript ones and native hnswlib in @twinembed/node).
import { fail } from '../errors.js';
import { decodeBundle, type Sidecar } from './bundle.js';
import { checkHnswlib, MAX_FILE_DIM, type HnswlibLayout } from './hnswlib-check.js';
import { IdMap } from './id-map.js';
import { resolveOptions, type ResolvedOptions } from './validate.js';
import type { IndexBackend, Metadata } from './vector-index.js';

const AREA = 'vector-index';
const BACKENDS: readonly IndexBackend[] = ['flat', 'hnsw', 'hnswlib'];

export interface CheckedIndex {
  backend: IndexBackend;
  options: ResolvedOptions;
  sidecar: Sidecar;
  payload: Uint8Array;
  /** The sidecar's ids on their labels, with metadata. */
  ids: IdMap;
  /** Where everything lies in an hnsw or hnswlib payload. */
  layout?: HnswlibLayout;
}

function bad(what: string): never {
  return fail(AREA, `cannot load index: ${what}`);
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decodes and checks the bytes from `save()` of any backend; nothing is built from them yet. */
export function checkIndexBytes(bytes: Uint8Array): CheckedIndex {
  const { sidecar, payload } = decodeBundle(bytes);
  const options = sidecarOptions(sidecar);
  const ids = sidecarIds(sidecar);
  const n = sidecar.ids.labels.length;
  if (sidecar.backend === 'flat') {
    if (payload.length !== n * options.dim * 4) bad(`expected ${n} × ${options.dim} float32 values (${n * options.dim * 4} bytes) for the ${n} ids, got ${payload.length} bytes`);
    return { backend: 'flat', options, sidecar, payload, ids };
  }
  const layout = checkHnswlib(payload, options.dim);
  if (layout.M !== options.M) bad(`expected the payload's M to be the sidecar's ${options.M}, got ${layout.M}`);
  checkLabelsAgainst(sidecar.ids.labels, layout, (i) => JSON.stringify(sidecar.ids.ids[i]));
  return { backend: sidecar.backend, options, sidecar, payload, ids, layout };
}

/** The id list and the payload must name the same live vectors, one to one (labels already unique). */
export function checkLabelsAgainst(labels: readonly number[], layout: HnswlibLayout, name: (i: number) => string = (i) => String(labels[i])): void {
  if (labels.length !== layout.liveCount) bad(`expected one id per live vector, got ${labels.length} ids for ${layout.liveCount} vectors`);
  labels.forEach((label, i) => {
    const slot = layout.slotOfLabel.get(label);
    if (slot === undefined || layout.deleted[slot]) bad(`expected id ${name(i)}'s label ${label} on a live vector, got ${slot === undefined ? 'no vector with it' : 'a deleted one'}`);
  });
}

function sidecarOptions(s: Sidecar): ResolvedOptions {
  if (!isObject(s) || !BACKENDS.includes(s.backend)) bad(`expected a sidecar naming a backend (${BACKENDS.join(', ')}), got ${isObject(s) ? JSON.stringify(s.backend) : JSON.stringify(s)?.slice(0, 40)}`);
  const ids: unknown = s.ids;
  const lists = isObject(ids) ? [ids.labels, ids.ids, ids.metadata] : [];
  if (!lists.every(Array.isArray) || lists.length === 0) bad(`expected sidecar ids with labels, ids and metadata lists, got ${JSON.stringify(ids)?.slice(0, 60)}`);
  const lengths = lists.map((list) => (list as unknown[]).length);
  if (lengths[0] !== lengths[1] || lengths[0] !== lengths[2]) bad(`expected labels, ids and metadata of one length, got ${lengths.join(', ')}`);
  let options: ResolvedOptions;
  try {
    options = resolveOptions({ dim: s.dim, metric: s.metric, M: s.M, efConstruction: s.efConstruction, ef: s.ef, seed: s.seed });
  } catch (error) {
    return fail(AREA, `cannot load index: expected valid options in the sidecar, got ${(error as Error).message}`, error);
  }
  if (options.dim > MAX_FILE_DIM) bad(`expected a dimension up to ${MAX_FILE_DIM}, got ${options.dim}`);
  return options;
}

/** Labels: unique non-negative safe integers; ids: unique strings or finite numbers; metadata: objects or null. */
function sidecarIds(s: Sidecar): IdMap {
  const { labels, ids, metadata } = s.ids;
  const map = new IdMap(), seenLabels = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const label: unknown = labels[i], id: unknown = ids[i], meta: unknown = metadata[i];
    if (typeof label !== 'number' || !Number.isSafeInteger(label) || label < 0) bad(`expected labels to be integers from 0 to 2^53, got ${JSON.stringify(label)} (entry ${i})`);
    if (seenLabels.has(label)) bad(`expected each label once in the id list, got ${label} twice`);
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) bad(`expected ids to be strings or finite numbers, got ${JSON.stringify(id)} (entry ${i})`);
    if (map.has(id)) bad(`expected each id once in the id list, got ${JSON.stringify(id)} twice`);
    if (meta !== null && !isObject(meta)) bad(`expected metadata to be an object or null, got ${JSON.stringify(meta)?.slice(0, 40)} (id ${JSON.stringify(id)})`);
    seenLabels.add(label);
    map.bind(id, label, (meta ?? undefined) as Metadata | undefined);
  }
  return map;
}
