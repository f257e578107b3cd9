// The shared behaviour suite against the two core backends.
import { createIndex, loadIndexBytes } from './create-index.js';
import { runIndexConformance } from './index-conformance.js';

runIndexConformance('flat', (options) => createIndex({ ...options, backend: 'flat' }), loadIndexBytes);
runIndexConformance('hnsw', (options) => createIndex({ ...options, backend: 'hnsw' }), loadIndexBytes);
