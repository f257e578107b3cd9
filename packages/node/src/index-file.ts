// Indexes on disk: written atomically (temporary file, fsync, rename) and read back only when
// the bundle's length and CRC-32 check out, so a crash or a truncated copy never half-loads.
import { checkIndexBytes, fail, openCheckedIndex, TwinembedError, type VectorIndex } from '@twinembed/core';
import { writeFileAtomic } from './atomic-write.js';
import { readRegularFile } from './read-regular-file.js';
import { loadHnswlibNode, openCheckedHnswlib, type NodeIndexResult } from './hnswlib-index.js';

export async function saveIndex(index: VectorIndex, path: string): Promise<void> {
  await writeFileAtomic(path, index.save(), 'index');
}

export interface LoadIndexOptions {
  /** Open HNSW indexes with `hnswlib` or `hnsw`; default: the backend that saved it. */
  backend?: 'hnsw' | 'hnswlib';
}

/** Reads a file from `saveIndex`; a `hnswlib` index falls back to `hnsw` (with a notice) without hnswlib-node. */
export async function loadIndex(path: string, options: LoadIndexOptions = {}): Promise<NodeIndexResult> {
  const bytes = await readRegularFile(path, { what: 'index' });
  try {
    return openIndexBytes(bytes, options);
  } catch (cause) {
    if (!(cause instanceof TwinembedError)) throw cause; // a bug, not a bad file: never disguised as one
    fail('io', `cannot load index "${path}": ${cause.message}`, cause);
  }
}

/** Bytes from `save()` of any backend, opened as `loadIndex` opens files: checked in full first, whichever backend opens them. */
export function openIndexBytes(bytes: Uint8Array, options: LoadIndexOptions = {}): NodeIndexResult {
  const file = checkIndexBytes(bytes);
  const wanted = options.backend ?? (file.backend === 'hnswlib' ? 'hnswlib' : 'hnsw');
  if (file.backend === 'flat' || wanted === 'hnsw') return { index: openCheckedIndex(file) };
  const lib = loadHnswlibNode();
  if (lib instanceof Error) {
    return { index: openCheckedIndex(file), notice: `[twinembed:vector-index] hnswlib-node is not available (${lib.message.split('\n')[0]}); opened the index with the TypeScript hnsw backend` };
  }
  return { index: openCheckedHnswlib(file.payload, file.layout!, file.options, file.ids) };
}
