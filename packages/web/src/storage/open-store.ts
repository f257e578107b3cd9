// Indexes and fine-tuned models kept in the browser, in IndexedDB (pages and workers alike). A save
// writes the new copy under a fresh key and moves the name's pointer to it in the same transaction:
// if anything fails (the quota, a closed tab) IndexedDB undoes the whole transaction, the error
// says why, and the copy saved before is still the one that loads.
//   const store = await openStore();
//   await store.saveIndex('products', index);
//   const index = await store.loadIndex('products');
//   await store.saveModel('my-encoder', await client.exportModel({ trainer }));
//   const embedder = await loadWebEmbedder(await store.loadModel('my-encoder'));
//   await store.saveClassifier('letters', classifier);   // or the snapshot a worker's classifierSnapshot returns
//   const classifier = await store.loadClassifier('letters', { embedder });
import { decodeBundle, fail, loadIndexBytes, type Manifest, type ModelFiles, type OneShotClassifier, type OneShotSnapshot, type VectorIndex } from '@twinembed/core';
import type { WebEmbedInput } from '../worker/protocol.js';
import { classifierValue, restoreStoredClassifier, type LoadClassifierOptions } from './stored-classifier.js';
import { BLOBS, ENTRIES, inTransaction, openDatabase, requestValue } from './idb.js';

export type StoredKind = 'index' | 'model' | 'classifier';

export interface StoredItem {
  readonly kind: StoredKind;
  readonly name: string;
  /** Size of the index file, of the model's model.onnx, or of a classifier's index and examples. */
  readonly bytes: number;
  /** ISO 8601 time of the save. */
  readonly savedAt: string;
}

export interface TwinembedStore {
  /** The IndexedDB database name. */
  readonly database: string;
  /** Saves an index (or the bytes of a saved one, checked first) under `name`, replacing the previous copy once this one is written. */
  saveIndex(name: string, index: VectorIndex | Uint8Array): Promise<StoredItem>;
  loadIndex(name: string): Promise<VectorIndex>;
  /** Saves model.onnx with its manifest and tokenizer (e.g. a trainer's export) under `name`. */
  saveModel(name: string, model: ModelFiles): Promise<StoredItem>;
  loadModel(name: string): Promise<ModelFiles>;
  /** Saves a one-shot classifier (or its snapshot, checked first): manifest, index and examples as one value, in one transaction. */
  saveClassifier(name: string, classifier: Pick<OneShotClassifier<never>, 'snapshot'> | OneShotSnapshot): Promise<StoredItem>;
  /** The classifier saved under `name`, over `embedder`, which must be the model it was saved with. */
  loadClassifier(name: string, options: LoadClassifierOptions): Promise<OneShotClassifier<WebEmbedInput>>;
  /** The saved snapshot itself, e.g. for a worker client's loadClassifier. */
  loadClassifierSnapshot(name: string): Promise<OneShotSnapshot>;
  list(kind?: StoredKind): Promise<StoredItem[]>;
  /** Removes `name`; false when nothing was saved under it. */
  remove(kind: StoredKind, name: string): Promise<boolean>;
  close(): void;
}

export interface OpenStoreOptions {
  /** IndexedDB database name (default "twinembed"). */
  database?: string;
}

interface Entry extends StoredItem {
  /** Key of the value in the blobs store. */
  readonly blob: string;
}

type StoredModel = Pick<ModelFiles, 'onnx' | 'tokenizer' | 'sentenceTransformers'> & { manifest?: Manifest };

export async function openStore(options: OpenStoreOptions = {}): Promise<TwinembedStore> {
  const database = options.database ?? 'twinembed';
  if (typeof database !== 'string' || database === '') fail('storage', `openStore database: expected a non-empty name, got ${JSON.stringify(database)}`);
  const db = await openDatabase(database);
  return {
    database,
    async saveIndex(name, index) {
      const bytes = index instanceof Uint8Array ? checkedIndexBytes(index) : index.save();
      return save(db, database, { kind: 'index', name, value: ownBuffer(bytes), bytes: bytes.length });
    },
    async loadIndex(name) {
      return loadIndexBytes((await load(db, database, 'index', name)) as Uint8Array);
    },
    async saveModel(name, model) {
      if (!(model?.onnx instanceof Uint8Array)) fail('storage', `saveModel "${name}": expected model files with the model bytes in "onnx" (a Uint8Array), got ${typeof model?.onnx}`);
      const value: StoredModel = { onnx: ownBuffer(model.onnx), manifest: model.manifest, tokenizer: model.tokenizer, sentenceTransformers: model.sentenceTransformers };
      return save(db, database, { kind: 'model', name, value, bytes: model.onnx.length });
    },
    async loadModel(name) {
      return { ...((await load(db, database, 'model', name)) as StoredModel), source: where(database, 'model', name) };
    },
    async saveClassifier(name, classifier) {
      const value = classifierValue(classifier);
      return save(db, database, { kind: 'classifier', name, value, bytes: value.index.length + value.examples.length });
    },
    async loadClassifier(name, options) {
      return restoreStoredClassifier((await load(db, database, 'classifier', name)) as OneShotSnapshot, options, where(database, 'classifier', name));
    },
    async loadClassifierSnapshot(name) {
      return (await load(db, database, 'classifier', name)) as OneShotSnapshot;
    },
    list: (kind) => inTransaction(db, 'readonly', async (tx) => {
      const all = (await requestValue(tx.objectStore(ENTRIES).getAll())) as Entry[];
      return all.filter((e) => kind === undefined || e.kind === kind).map(publicItem);
    }, `cannot list IndexedDB "${database}"`),
    remove: (kind, name) => inTransaction(db, 'readwrite', async (tx) => {
      const entry = (await requestValue(tx.objectStore(ENTRIES).get(`${kind}/${name}`))) as Entry | undefined;
      if (!entry) return false;
      await requestValue(tx.objectStore(ENTRIES).delete(`${kind}/${name}`));
      await requestValue(tx.objectStore(BLOBS).delete(entry.blob));
      return true;
    }, `cannot remove ${where(database, kind, name)}`),
    close: () => db.close(),
  };
}

const where = (database: string, kind: StoredKind, name: string) => `${kind} "${name}" in IndexedDB "${database}"`;

/** The value under a fresh key and the name pointing at it, the previous value deleted: one transaction. */
function save(db: IDBDatabase, database: string, item: { kind: StoredKind; name: string; value: unknown; bytes: number }): Promise<StoredItem> {
  const { kind, name, value, bytes } = item;
  checkName(name);
  const key = `${kind}/${name}`;
  const entry: Entry = { kind, name, bytes, savedAt: new Date().toISOString(), blob: `${key}#${uniqueTag()}` };
  return inTransaction(db, 'readwrite', async (tx) => {
    const entries = tx.objectStore(ENTRIES);
    const blobs = tx.objectStore(BLOBS);
    const previous = (await requestValue(entries.get(key))) as Entry | undefined;
    await requestValue(blobs.put(value, entry.blob));
    await requestValue(entries.put(entry, key));
    if (previous) await requestValue(blobs.delete(previous.blob));
    return publicItem(entry);
  }, `cannot save ${where(database, kind, name)} (the copy saved before, if any, is unchanged)`);
}

function load(db: IDBDatabase, database: string, kind: StoredKind, name: string): Promise<unknown> {
  return inTransaction(db, 'readonly', async (tx) => {
    const entry = (await requestValue(tx.objectStore(ENTRIES).get(`${kind}/${name}`))) as Entry | undefined;
    if (!entry) {
      const names = ((await requestValue(tx.objectStore(ENTRIES).getAll())) as Entry[]).filter((e) => e.kind === kind).map((e) => `"${e.name}"`);
      fail('storage', `cannot load ${where(database, kind, name)}: expected a saved ${kind} of that name, got ${names.length ? `only ${names.join(', ')}` : `no saved ${kind}`}`);
    }
    return requestValue(tx.objectStore(BLOBS).get(entry.blob));
  }, `cannot load ${where(database, kind, name)}`);
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name === '') fail('storage', `name: expected a non-empty string, got ${JSON.stringify(name)}`);
}

function checkedIndexBytes(bytes: Uint8Array): Uint8Array {
  decodeBundle(bytes); // length, magic and CRC: never store what would not load
  return bytes;
}

/** IndexedDB stores a typed array's whole buffer: give it one that holds exactly these bytes. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function publicItem({ kind, name, bytes, savedAt }: Entry): StoredItem {
  return { kind, name, bytes, savedAt };
}

function uniqueTag(): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `${Date.now().toString(36)}-${random[0]!.toString(36)}${random[1]!.toString(36)}`;
}
