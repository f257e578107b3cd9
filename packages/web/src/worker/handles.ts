// What a client refers to by name: embedders, indexes and trainers live here, keyed by
// handles like "embedder-1", so only strings cross between page and worker.
import { fail, type Embedder, type OneShotClassifier, type VectorIndex } from '@twinembed/core';
import type { WebEmbedInput } from './protocol.js';
import type { TrainerState } from './train-operations.js';

interface Kinds {
  embedder: Embedder;
  index: VectorIndex;
  trainer: TrainerState;
  classifier: { classifier: OneShotClassifier<WebEmbedInput>; embedder: string };
}
export type HandleKind = keyof Kinds;
/** An item with its kind, narrowed by `kind`. */
export type HandleItem = { [K in HandleKind]: { kind: K; value: Kinds[K] } }[HandleKind];

const CREATED_BY: Record<HandleKind, string> = {
  embedder: 'loadEmbedder', index: 'createIndex or loadIndex', trainer: 'createTrainer', classifier: 'createClassifier or loadClassifier',
};

export class Handles {
  private next = 1;
  private readonly items = new Map<string, HandleItem>();

  add<K extends HandleKind>(kind: K, value: Kinds[K]): string {
    const handle = `${kind}-${this.next++}`;
    this.items.set(handle, { kind, value } as HandleItem);
    return handle;
  }

  get<K extends HandleKind>(handle: string, kind: K): Kinds[K] {
    const item = this.items.get(handle);
    if (item?.kind !== kind) {
      fail('worker', `unknown ${kind} ${JSON.stringify(handle)}: expected a handle from ${CREATED_BY[kind]}${item ? `, got a ${item.kind}` : ' (never created, or disposed)'}`);
    }
    return item.value as Kinds[K];
  }

  /** Removes and returns the item; unknown handles fail. */
  take(handle: string): HandleItem {
    const item = this.items.get(handle) ?? fail('worker', `dispose: unknown handle ${JSON.stringify(handle)}: expected one from loadEmbedder, createIndex, loadIndex, createClassifier, loadClassifier or createTrainer (never created, or disposed)`);
    this.items.delete(handle);
    return item;
  }
}
