// A saved classifier back in memory: the snapshot is checked (sizes, checksums, the model), its
// index opened, and the index must hold exactly the manifest's labels, in the embedder's width.
import type { EmbedInput } from '../embed/create-embedder.js';
import { fail } from '../errors.js';
import { loadIndexBytes } from '../vector-index/create-index.js';
import type { VectorIndex } from '../vector-index/vector-index.js';
import { classifierOver, type OneShotClassifier, type OneShotClassifierOptions } from './one-shot-classifier.js';
import { AREA, INDEX_METRIC } from './one-shot-checks.js';
import { readSnapshot, type OneShotSnapshot } from './one-shot-snapshot.js';

export interface RestoreOneShotOptions<Input = EmbedInput> extends Pick<OneShotClassifierOptions<Input>, 'embedder' | 'readInput'> {
  snapshot: OneShotSnapshot;
  /** Opens the index bytes (default loadIndexBytes: flat or hnsw; @twinembed/node opens hnswlib too). */
  openIndex?: (bytes: Uint8Array) => VectorIndex;
}

export function restoreOneShotClassifier<Input = EmbedInput>(options: RestoreOneShotOptions<Input>): OneShotClassifier<Input> {
  const { embedder, readInput } = options;
  if (typeof embedder?.embedMatrix !== 'function') fail(AREA, 'embedder: expected an Embedder (createEmbedder, loadEmbedder or loadWebEmbedder), got none');
  const { manifest, rows, index: bytes } = readSnapshot(options.snapshot, embedder);
  let index: VectorIndex;
  try {
    index = (options.openIndex ?? loadIndexBytes)(bytes);
  } catch (cause) {
    fail(AREA, `cannot restore the one-shot classifier: its index does not open (${(cause as Error).message})`, cause);
  }
  const expected = INDEX_METRIC[manifest.metric];
  if (index.dim !== embedder.dim || index.metric !== expected) fail(AREA, `cannot restore the one-shot classifier: expected a ${expected} index of dim ${embedder.dim}, got a ${index.metric} index of dim ${index.dim}`);
  const ids = index.ids();
  const consistent = ids.length === rows.size && ids.every((id) => typeof id === 'string' && rows.has(id));
  if (!consistent) fail(AREA, `cannot restore the one-shot classifier: expected its index to hold the ${rows.size} labels of its manifest, got ${ids.length} other ids`);
  return classifierOver({ embedder, index, metric: manifest.metric, readInput }, rows);
}
