// One-shot classifiers in the store: the snapshot (manifest, index bytes, example bytes) is checked
// before it is written and kept as one IndexedDB value, so a save lands whole or not at all.
import {
  checkSnapshot, fail, restoreOneShotClassifier, TwinembedError, type OneShotClassifier, type OneShotClassifierOptions, type OneShotSnapshot,
} from '@twinembed/core';
import { decodedInput } from '../worker/embed-operations.js';
import type { WebEmbedInput } from '../worker/protocol.js';

export type LoadClassifierOptions = Pick<OneShotClassifierOptions<WebEmbedInput>, 'embedder'>;

/** IndexedDB stores a typed array's whole buffer: give it one that holds exactly these bytes. */
const own = (bytes: Uint8Array) => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice());

export function classifierValue(classifier: Pick<OneShotClassifier<never>, 'snapshot'> | OneShotSnapshot): OneShotSnapshot {
  const snapshot = typeof (classifier as { snapshot?: unknown }).snapshot === 'function' ? (classifier as Pick<OneShotClassifier<never>, 'snapshot'>).snapshot() : (classifier as OneShotSnapshot);
  const { manifest, index, examples } = checkSnapshot(snapshot); // never store what would not load
  return { manifest, index: own(index), examples: own(examples) };
}

/** The classifier from a stored snapshot; Blobs and ImageBitmaps it is given later are decoded in this thread. */
export function restoreStoredClassifier(snapshot: OneShotSnapshot, options: LoadClassifierOptions, where: string): OneShotClassifier<WebEmbedInput> {
  try {
    return restoreOneShotClassifier({ embedder: options?.embedder, snapshot, readInput: decodedInput });
  } catch (cause) {
    const reason = cause instanceof TwinembedError ? cause.message.replace(/^\[twinembed:[^\]]+\] (cannot restore the one-shot classifier: )?/, '') : String(cause);
    fail('oneshot', `cannot load ${where}: ${reason}`, cause);
  }
}
