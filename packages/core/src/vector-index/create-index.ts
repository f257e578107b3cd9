// The factory and loaders: one options object, validated once, typed by the interface.
import { fail } from '../errors.js';
import { isBundle, type Sidecar } from './bundle.js';
import { checkIndexBytes, type CheckedIndex } from './checked-index.js';
import { FlatIndex } from './flat-index.js';
import { HnswGraph } from './hnsw-graph.js';
import { HnswIndex } from './hnsw-index.js';
import { checkHnswlib } from './hnswlib-check.js';
import { decodeHnswlib } from './hnswlib-format.js';
import { IdMap } from './id-map.js';
import { resolveOptions, type ResolvedOptions } from './validate.js';
import type { IndexOptions, Metric, VectorIndex } from './vector-index.js';

const AREA = 'vector-index';

/** A new empty index; `backend` defaults to `hnsw` (`hnswlib` lives in @twinembed/node). */
export function createIndex(options: IndexOptions): VectorIndex {
  const resolved = resolveOptions(options);
  const backend = options.backend ?? 'hnsw';
  if (backend === 'flat') return new FlatIndex(resolved);
  if (backend === 'hnsw') return new HnswIndex(resolved, newGraph(resolved));
  if (backend === 'hnswlib') fail(AREA, 'unsupported backend: expected flat or hnsw in @twinembed/core, got hnswlib (use createNodeIndex from @twinembed/node)');
  fail(AREA, `unknown backend: expected flat, hnsw or hnswlib, got ${String(backend)}`);
}

function newGraph(o: ResolvedOptions): HnswGraph {
  return new HnswGraph({ dim: o.dim, metric: o.metric, M: o.M, maxM0: 2 * o.M, efConstruction: o.efConstruction, mult: 1 / Math.log(o.M), capacity: o.capacity });
}

/** Reads bytes from `save()`. An index saved by `hnswlib` loads as `hnsw` unless a loader for it is given. */
export function loadIndexBytes(bytes: Uint8Array): VectorIndex {
  return openCheckedIndex(checkIndexBytes(bytes));
}

/** Builds the flat or hnsw index of a file that `checkIndexBytes` passed. */
export function openCheckedIndex(file: CheckedIndex): VectorIndex {
  const { options, payload, sidecar, ids, layout } = file;
  if (file.backend === 'flat') return loadFlat(options, payload, sidecar);
  return new HnswIndex(options, decodeHnswlib(payload, options.dim, options.metric, layout), ids);
}

function loadFlat(options: ResolvedOptions, payload: Uint8Array, sidecar: Sidecar): VectorIndex {
  const n = sidecar.ids.labels.length;
  const index = new FlatIndex({ ...options, capacity: Math.max(n, 1) });
  const rows = new Float32Array(payload.slice().buffer);
  const metadata = sidecar.ids.metadata.map((m) => m ?? undefined);
  index.add(sidecar.ids.ids, rows, { metadata });
  return index;
}

export interface HnswlibBytesOptions {
  dim: number;
  metric: Metric;
  ef?: number;
  seed?: number;
}

/**
 * Reads an index written by hnswlib (e.g. hnswlib-node's writeIndex) as an `hnsw` index.
 * The file holds neither ids nor metric: ids are hnswlib's labels, the metric is given.
 */
export function loadHnswlibBytes(bytes: Uint8Array, options: HnswlibBytesOptions): VectorIndex {
  if (!(bytes instanceof Uint8Array)) fail(AREA, `cannot read hnswlib index: expected a Uint8Array, got ${typeof bytes}`);
  if (isBundle(bytes)) fail(AREA, 'cannot read hnswlib index: expected raw hnswlib bytes, got a twinembed bundle (use loadIndexBytes)');
  const base = resolveOptions({ dim: options.dim, metric: options.metric, ef: options.ef, seed: options.seed });
  const layout = checkHnswlib(bytes, base.dim);
  const graph = decodeHnswlib(bytes, base.dim, base.metric, layout);
  const ids = new IdMap();
  for (const [label, slot] of layout.slotOfLabel) if (!layout.deleted[slot]) ids.bind(label, label, undefined);
  return new HnswIndex({ ...base, M: graph.M, efConstruction: graph.efConstruction }, graph, ids);
}

/** The raw hnswlib bytes of an `hnsw` index, readable by hnswlib-node's readIndex. */
export function hnswlibBytes(index: VectorIndex): Uint8Array {
  if (!(index instanceof HnswIndex)) fail(AREA, `cannot write hnswlib bytes: expected an hnsw index, got ${index.backend}`);
  return index.saveHnswlib();
}
