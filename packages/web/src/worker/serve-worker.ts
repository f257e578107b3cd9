// The worker side: answers a client's calls with the operations, streams their progress, and
// sends errors back as TwinembedError messages. A worker script is one line:
//   // embed-worker.ts
//   import { serveWorker } from '@twinembed/web';
//   serveWorker();
// and the page: createWorkerClient(new Worker(new URL('./embed-worker.ts', import.meta.url), { type: 'module' })).
import { fail } from '@twinembed/core';
import { createOperations } from './operations.js';
import { OPERATION_NAMES, type CallContext, type ClientMessage, type HostMessage, type Operations } from './protocol.js';
import { toWireError, transferablesOf } from './wire.js';

/** A worker's global scope, or one end of a MessageChannel. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

export interface ServeWorkerOptions {
  /** Default: the worker's own global scope. */
  endpoint?: MessageEndpoint;
  /** Default: createOperations(). */
  operations?: Operations;
}

export function serveWorker(options: ServeWorkerOptions = {}): { close(): void } {
  const endpoint = options.endpoint ?? (globalThis as unknown as MessageEndpoint);
  const operations = options.operations ?? createOperations();
  const running = new Map<number, { cancelled: boolean }>();
  const send = (message: HostMessage, transfer: Transferable[] = []) => endpoint.postMessage(message, transfer);

  const call = async (id: number, operation: string, request: unknown) => {
    const flags = { cancelled: false };
    running.set(id, flags);
    const context: CallContext = { progress: (progress) => send({ type: 'progress', id, progress }), cancelled: () => flags.cancelled };
    try {
      if (!OPERATION_NAMES.includes(operation as keyof Operations)) fail('worker', `unknown operation ${JSON.stringify(operation)}: expected one of ${OPERATION_NAMES.join(', ')}`);
      const run = operations[operation as keyof Operations] as (request: unknown, context: CallContext) => Promise<unknown>;
      const value = await run(request, context);
      send({ type: 'result', id, value }, transferablesOf(value));
    } catch (error) {
      send({ type: 'error', id, error: toWireError(error) });
    } finally {
      running.delete(id);
    }
  };

  const listener = (event: MessageEvent) => {
    const message = event.data as ClientMessage | undefined;
    if (message?.type === 'call') void call(message.id, message.operation, message.request);
    else if (message?.type === 'cancel') {
      const flags = running.get(message.id);
      if (flags) flags.cancelled = true;
    }
  };
  endpoint.addEventListener('message', listener);
  endpoint.start?.();
  return { close: () => endpoint.removeEventListener('message', listener) };
}
