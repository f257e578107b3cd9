// Nearest-neighbour search: one interface, a flat oracle and HNSW in TypeScript (hnswlib's format).
export type { AddOptions, IndexBackend, IndexFilter, IndexOptions, JsonValue, Metadata, Metric, SearchOptions, SearchResult, VectorId, VectorIndex, VectorRows } from './vector-index.js';
export { createIndex, loadIndexBytes, loadHnswlibBytes, hnswlibBytes, openCheckedIndex, type HnswlibBytesOptions } from './create-index.js';
export { checkIndexBytes, checkLabelsAgainst, type CheckedIndex } from './checked-index.js';
export { decodeBundle, encodeBundle, sidecarFor, type Sidecar } from './bundle.js';
export { crc32 } from './crc32.js';
export { l2Squared, innerProductDistance, normalizeRow, METRICS, type DistanceFn, type MetricSpec } from './distance.js';
export { resolveOptions, type ResolvedOptions } from './validate.js';
// Building blocks for backends outside core (hnswlib-node in @twinembed/node).
export { IdMap, labelPredicate } from './id-map.js';
export { checkHnswlib, HNSWLIB_HEADER_BYTES, MAX_FILE_DIM, type HnswlibLayout } from './hnswlib-check.js';
export { loadCapacity } from './hnswlib-format.js';
export { checkEf, checkIds, checkK, checkKnown, checkQuery, queryCount, toMatrix } from './validate.js';
