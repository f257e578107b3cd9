// What crosses between page and worker besides plain data: errors (as area + message, rebuilt as
// TwinembedErrors) and the buffers to transfer rather than copy.
import { TwinembedError } from '@twinembed/core';
import type { WireError } from './protocol.js';

export function toWireError(error: unknown): WireError {
  if (error instanceof TwinembedError) return { area: error.area, message: error.message.slice(`[twinembed:${error.area}] `.length) };
  const e = error as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const what = typeof e?.name === 'string' ? e.name : 'error';
  return { area: 'worker', message: `unexpected ${what}: ${typeof e?.message === 'string' ? e.message : String(error)}`, ...(typeof e?.stack === 'string' ? { stack: e.stack } : {}) };
}

export function fromWireError(wire: WireError): TwinembedError {
  const cause = wire.stack ? Object.assign(new Error(wire.message), { stack: wire.stack }) : undefined;
  return new TwinembedError(wire.area, wire.message, cause ? { cause } : undefined);
}

/** Any error as a TwinembedError: ours pass through, anything else is wrapped as it would be by a worker. */
export function asTwinembedError(error: unknown): TwinembedError {
  return error instanceof TwinembedError ? error : fromWireError(toWireError(error));
}

/**
 * The ArrayBuffers of the typed arrays (and the ImageBitmaps) inside `value`, a few levels deep.
 * Only a view that spans its whole buffer is transferred: transferring would detach the rest.
 */
export function transferablesOf(value: unknown, depth = 4): Transferable[] {
  const found = new Set<Transferable>();
  const walk = (v: unknown, level: number): void => {
    if (v === null || typeof v !== 'object' || level < 0) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) found.add(v.buffer);
      return;
    }
    if (typeof ImageBitmap !== 'undefined' && v instanceof ImageBitmap) {
      found.add(v);
      return;
    }
    if (Array.isArray(v)) for (const item of v) walk(item, level - 1);
    else if (Object.getPrototypeOf(v) === Object.prototype) for (const item of Object.values(v)) walk(item, level - 1);
  };
  walk(value, depth);
  return [...found];
}
