// An index file (what `save()`, the CLI's `twinembed index` or @twinembed/node's saveIndex wrote)
// from a URL, Response, File or bytes: ids, metadata, metric and graph come back as they were saved.
//   const index = await loadIndex('/indexes/products.twix');
//   index.search(queryVector, 10);
import { fail, loadIndexBytes, type VectorIndex } from '@twinembed/core';
import { describeSource, readBytes, type ByteSource, type FetchOptions } from './byte-source.js';

/** An `hnswlib` index (saved by hnswlib-node) opens with the TypeScript `hnsw` backend, on the same graph. */
export async function loadIndex(source: ByteSource, options: FetchOptions = {}): Promise<VectorIndex> {
  const bytes = await readBytes(source, options);
  try {
    return loadIndexBytes(bytes);
  } catch (cause) {
    return fail('io', `cannot load the index from ${describeSource(source)}: ${(cause as Error).message}`, cause);
  }
}
