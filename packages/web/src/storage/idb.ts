// IndexedDB as promises: open with the two object stores, and run one transaction to its end
// (commit or abort), so a caller learns whether everything it wrote is there or none of it is.
import { fail, TwinembedError } from '@twinembed/core';

export const ENTRIES = 'entries';
export const BLOBS = 'blobs';
const VERSION = 1;

export function openDatabase(name: string): Promise<IDBDatabase> {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) fail('storage', 'opening the store: expected IndexedDB (a browser page or worker), got none; in Node, save indexes with saveIndex from @twinembed/node');
  return new Promise((resolve, reject) => {
    const request = factory.open(name, VERSION);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(ENTRIES);
      request.result.createObjectStore(BLOBS);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError(`cannot open the IndexedDB database "${name}"`, request.error));
    request.onblocked = () => reject(storageError(`cannot open the IndexedDB database "${name}"`, new Error('an older version is open in another tab')));
  });
}

/** The value of a request, once it succeeds. */
export function requestValue<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `work` in one transaction and resolves with its result once the transaction commits;
 * rejects (with what went wrong, e.g. QuotaExceededError) when it aborts, in which case IndexedDB
 * has undone every write of the transaction.
 */
export function inTransaction<T>(db: IDBDatabase, mode: IDBTransactionMode, work: (tx: IDBTransaction) => Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let tx: IDBTransaction;
    try {
      tx = db.transaction([ENTRIES, BLOBS], mode, { durability: 'strict' });
    } catch (cause) {
      reject(storageError(what, cause));
      return;
    }
    let result: T;
    let workError: unknown;
    work(tx).then((value) => { result = value; }, (cause) => {
      workError = cause;
      try { tx.abort(); } catch { /* already finished: the abort event reports it */ }
    });
    tx.oncomplete = () => (workError === undefined ? resolve(result) : reject(storageError(what, workError)));
    tx.onabort = () => reject(storageError(what, workError ?? tx.error ?? new Error('the transaction was aborted')));
  });
}

/** `what` failed because of `cause` (a DOMException such as QuotaExceededError keeps its name in the message). */
export function storageError(what: string, cause: unknown): TwinembedError {
  if (cause instanceof TwinembedError) return cause;
  const error = cause as { name?: string; message?: string } | null;
  const message = error?.message ? String(error.message) : '';
  const reason = error?.name && error.name !== 'Error' ? [error.name, message].filter(Boolean).join(': ') : message || String(cause);
  return new TwinembedError('storage', `${what}: ${reason}`, { cause });
}
