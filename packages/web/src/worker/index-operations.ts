// Vector indexes by handle: create, load from an index file, add, search, and the file's bytes.
import { createIndex, fail, type VectorIndex } from '@twinembed/core';
import { loadIndex } from '../load/load-index.js';
import type { Handles } from './handles.js';
import type { IndexInfo, Operations } from './protocol.js';

type IndexOperations = Pick<Operations, 'createIndex' | 'loadIndex' | 'addToIndex' | 'search' | 'indexBytes'>;

export function indexOperations(handles: Handles): IndexOperations {
  const info = (handle: string, index: VectorIndex): IndexInfo => ({ index: handle, backend: index.backend, dim: index.dim, metric: index.metric, size: index.size });
  return {
    async createIndex(options) {
      const index = createIndex(options);
      return info(handles.add('index', index), index);
    },
    async loadIndex({ source }) {
      const index = await loadIndex(source);
      return info(handles.add('index', index), index);
    },
    async addToIndex({ index: handle, ids, vectors, metadata, replace }) {
      const index = handles.get(handle, 'index');
      index.add(ids, vectors, { metadata, replace });
      return info(handle, index);
    },
    async search({ index: handle, queries, k, ef, filter }) {
      const index = handles.get(handle, 'index');
      if (!(queries instanceof Float32Array)) fail('vector-index', `search queries: expected a Float32Array (one row, or rows × ${index.dim}), got ${Object.prototype.toString.call(queries)}`);
      return index.searchBatch(queries, k, { ef, filter });
    },
    async indexBytes({ index }) {
      return handles.get(index, 'index').save();
    },
  };
}
