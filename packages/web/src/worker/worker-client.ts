// The page side: every operation as an async method, run in a dedicated worker (createWorkerClient)
// or in the page itself (createLocalClient), with the same signatures and errors either way.
//   const client = createWorkerClient(new Worker(new URL('./embed-worker.ts', import.meta.url), { type: 'module' }));
//   const { embedder, executionProvider } = await client.loadEmbedder({ model: '/models/minilm/', runtime: { executionProviders: ['webgpu', 'wasm'] } });
//   const vectors = await client.embed({ embedder, inputs: texts }, { onProgress: (p) => console.log(p) });
//   const { trainer } = await client.createTrainer({ model: '/models/conv4/', loss: 'MultipleNegativesRankingLoss', lr: 1e-3 });
//   await client.train({ trainer, batches }, { onProgress: (p) => plot(p.step, p.loss), signal: stop.signal });
import { fail, TwinembedError } from '@twinembed/core';
import { readBytes } from '../load/byte-source.js';
import { createOperations } from './operations.js';
import { OPERATION_NAMES, type CallContext, type ClientMessage, type HostMessage, type OperationName, type Operations, type Progress, type RequestOf, type ResultOf } from './protocol.js';
import type { MessageEndpoint } from './serve-worker.js';
import { asTwinembedError, fromWireError, transferablesOf } from './wire.js';

export interface CallOptions {
  /** Progress of this call: per embedded batch, per train step. */
  onProgress?: (progress: Progress) => void;
  /** Stops `train` between steps (it then resolves with what it did, `cancelled: true`); other operations finish. */
  signal?: AbortSignal;
  /** Move the request's typed arrays to the worker instead of copying them: they become empty here. */
  transfer?: boolean;
}

export type TwinembedClient = {
  readonly [K in OperationName]: (request: RequestOf<K>, options?: CallOptions) => Promise<ResultOf<K>>;
} & {
  /** Ends the worker (for a worker client); calls still running reject. */
  close(): void;
};

interface Pending {
  resolve(value: unknown): void;
  reject(error: TwinembedError): void;
  onProgress?: (progress: Progress) => void;
}

/** Fields holding a source (or a map of them) the worker must be able to read. */
const SOURCE_FIELDS: Partial<Record<OperationName, string>> = { loadEmbedder: 'model', createTrainer: 'model', loadIndex: 'source' };

export function createWorkerClient(worker: Worker | MessageEndpoint): TwinembedClient {
  const endpoint = worker as MessageEndpoint;
  const pending = new Map<number, Pending>();
  const rejectAll = listenForReplies(endpoint, pending);
  let nextId = 1;
  let closed: TwinembedError | undefined;

  const call = async (operation: OperationName, request: unknown, options: CallOptions = {}): Promise<unknown> => {
    if (closed) throw closed;
    const prepared = await prepareRequest(operation, request);
    const id = nextId++;
    const message: ClientMessage = { type: 'call', id, operation, request: prepared };
    const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject, onProgress: options.onProgress }));
    try {
      endpoint.postMessage(message, options.transfer ? transferablesOf(prepared) : []);
    } catch (cause) {
      pending.delete(id);
      fail('worker', `${operation}: the request cannot be sent to the worker (${(cause as Error).message}); send data only: strings, numbers, typed arrays, Blobs, plain objects`, cause);
    }
    const cancel = () => endpoint.postMessage({ type: 'cancel', id } satisfies ClientMessage, []);
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await result;
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
  };

  return {
    ...methods(call),
    close() {
      closed = workerError('the worker client was closed');
      rejectAll(closed);
      (worker as Partial<Worker>).terminate?.();
    },
  };
}

/** Routes the worker's replies to their calls; returns what rejects every pending call (a dead worker). */
function listenForReplies(endpoint: MessageEndpoint, pending: Map<number, Pending>): (error: TwinembedError) => void {
  const rejectAll = (error: TwinembedError) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  endpoint.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as HostMessage;
    const call = pending.get(message?.id);
    if (!call) return;
    if (message.type === 'progress') call.onProgress?.(message.progress);
    else {
      pending.delete(message.id);
      if (message.type === 'result') call.resolve(message.value);
      else call.reject(fromWireError(message.error));
    }
  });
  endpoint.addEventListener('error', (event: Event) => {
    const detail = (event as ErrorEvent).message || 'its script did not load, or threw while loading';
    rejectAll(workerError(`the worker failed: ${detail}`));
  });
  endpoint.addEventListener('messageerror', () => rejectAll(workerError('a message from the worker could not be deserialized')));
  endpoint.start?.();
  return rejectAll;
}

/** The same operations in this thread: for pages that need no worker, and for tests. */
export function createLocalClient(operations: Operations = createOperations()): TwinembedClient {
  const call = async (operation: OperationName, request: unknown, options: CallOptions = {}): Promise<unknown> => {
    const context: CallContext = { progress: (p) => options.onProgress?.(p), cancelled: () => options.signal?.aborted ?? false };
    try {
      return await (operations[operation] as (request: unknown, context: CallContext) => Promise<unknown>)(request, context);
    } catch (error) {
      throw asTwinembedError(error);
    }
  };
  return { ...methods(call), close() {} };
}

function methods(call: (operation: OperationName, request: unknown, options?: CallOptions) => Promise<unknown>): Omit<TwinembedClient, 'close'> {
  return Object.fromEntries(OPERATION_NAMES.map((name) => [name, (request: unknown, options?: CallOptions) => call(name, request, options)])) as unknown as Omit<TwinembedClient, 'close'>;
}

async function prepareRequest(operation: OperationName, request: unknown): Promise<unknown> {
  const field = SOURCE_FIELDS[operation];
  if (!field || typeof request !== 'object' || request === null) return request;
  const source = (request as Record<string, unknown>)[field];
  const isMap = source instanceof Map || (typeof source === 'object' && source !== null && Object.getPrototypeOf(source) === Object.prototype && !('onnx' in source));
  if (!isMap) return { ...request, [field]: await sendable(source) };
  const entries = await Promise.all([...(source instanceof Map ? source : Object.entries(source as object))].map(async ([k, v]) => [k, await sendable(v)] as const));
  return { ...request, [field]: source instanceof Map ? new Map(entries) : Object.fromEntries(entries) };
}

/** A URL made absolute against the page (a worker would resolve it against its own script), a Response read here. */
async function sendable(source: unknown): Promise<unknown> {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  if (typeof source === 'string' || source instanceof URL) return base ? new URL(source, base).href : String(source);
  if (typeof Response !== 'undefined' && source instanceof Response) return readBytes(source);
  return source;
}

function workerError(message: string): TwinembedError {
  return new TwinembedError('worker', message);
}
