// Everything that holds a file's bytes in a browser (a URL to fetch, a fetch Response, a File or
// Blob, an ArrayBuffer or a typed array) read the same way, with one clear error per failure.
//   const bytes = await readBytes(fileInput.files[0]);   // or a URL, a Response, an ArrayBuffer…
import { fail } from '@twinembed/core';

export type ByteSource = string | URL | Response | Blob | ArrayBuffer | ArrayBufferView;
export type Fetch = (url: string) => Promise<Response>;

export interface FetchOptions {
  /** Default: globalThis.fetch (tests and service workers pass their own). */
  fetch?: Fetch;
}

export function isByteSource(value: unknown): value is ByteSource {
  return typeof value === 'string' || value instanceof URL || value instanceof ArrayBuffer || ArrayBuffer.isView(value)
    || (typeof Blob !== 'undefined' && value instanceof Blob) || (typeof Response !== 'undefined' && value instanceof Response);
}

/** For messages: the URL, the file name, or what kind of bytes. */
export function describeSource(source: ByteSource): string {
  if (typeof source === 'string' || source instanceof URL) return `"${String(source)}"`;
  if (typeof Response !== 'undefined' && source instanceof Response) return `the response from "${source.url || '(no url)'}"`;
  if (typeof File !== 'undefined' && source instanceof File) return `the file "${source.webkitRelativePath || source.name}"`;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return `a Blob of ${source.size} bytes`;
  return `${(source as ArrayBuffer | ArrayBufferView).byteLength} bytes`;
}

/** The bytes of a response; `undefined` for a 404 when the file is optional. */
export async function responseBytes(response: Response, url: string, required = true): Promise<Uint8Array | undefined> {
  if (response.status === 404 && !required) return undefined;
  if (!response.ok) fail('io', `cannot fetch "${url}": expected 200, got ${response.status} ${response.statusText}`.trimEnd());
  if (response.bodyUsed) fail('io', `cannot read "${url}": expected an unread Response, got one whose body was already read`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Fetches `url`; a network failure is a TwinembedError naming the URL. */
export async function fetchResponse(url: string, options: FetchOptions = {}): Promise<Response> {
  const get = options.fetch ?? ((u: string) => globalThis.fetch(u));
  try {
    return await get(url);
  } catch (cause) {
    return fail('io', `cannot fetch "${url}": ${(cause as Error).message}`, cause);
  }
}

/** Any byte source → a Uint8Array (a view, not a copy, when the source already is bytes). */
export async function readBytes(source: ByteSource, options: FetchOptions = {}): Promise<Uint8Array> {
  if (typeof source === 'string' || source instanceof URL) {
    const url = String(source);
    return (await responseBytes(await fetchResponse(url, options), url))!;
  }
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Response !== 'undefined' && source instanceof Response) return (await responseBytes(source, source.url || '(a Response)'))!;
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    try {
      return new Uint8Array(await source.arrayBuffer());
    } catch (cause) {
      return fail('io', `cannot read ${describeSource(source)}: ${(cause as Error).message}`, cause);
    }
  }
  return fail('io', `cannot read bytes: expected a URL, Response, Blob, ArrayBuffer or typed array, got ${Object.prototype.toString.call(source)}`);
}

/** JSON text → a value, or one error naming where the text came from. */
export function parseJson(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    return fail('io', `${where}: expected JSON, got text that does not parse (${(cause as Error).message})`, cause);
  }
}

/** A byte source holding JSON, or a value already parsed (any object that is not a byte source). */
export async function readJson(source: ByteSource | object, options: FetchOptions = {}): Promise<unknown> {
  if (!isByteSource(source)) return source;
  return parseJson(await readBytes(source, options), describeSource(source));
}
