// Browsers: a model directory served over HTTP → ModelFiles → an Embedder on onnxruntime-web, and
// images decoded by the browser itself (createImageBitmap + OffscreenCanvas), no decoder shipped.
import { createEmbedder, fail, parseManifest, type Embedder, type EmbedderOptions, type ModelFiles, type RasterImage } from '@twinembed/core';
import { webRuntime } from './web-runtime.js';

export interface LoadModelUrlOptions {
  /** Default: globalThis.fetch (tests and service workers pass their own). */
  fetch?: (url: string) => Promise<Response>;
}

async function fetchBytes(get: NonNullable<LoadModelUrlOptions['fetch']>, url: string, required: boolean): Promise<Uint8Array | undefined> {
  let response: Response;
  try {
    response = await get(url);
  } catch (cause) {
    return fail('io', `cannot fetch "${url}": ${(cause as Error).message}`, cause);
  }
  if (response.status === 404 && !required) return undefined;
  if (!response.ok) fail('io', `cannot fetch "${url}": expected 200, got ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchJson(get: NonNullable<LoadModelUrlOptions['fetch']>, url: string): Promise<unknown> {
  const bytes = await fetchBytes(get, url, false);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    return fail('io', `"${url}": expected JSON, got text that does not parse (${(cause as Error).message})`, cause);
  }
}

/** Fetches `<base>/model.onnx` and whichever of the tokenizer, manifest and sentence-transformers files exist. */
export async function loadModelFromUrl(base: string, options: LoadModelUrlOptions = {}): Promise<ModelFiles> {
  const get = options.fetch ?? ((url: string) => globalThis.fetch(url));
  const at = (file: string) => `${base.replace(/\/+$/, '')}/${file}`;
  const [onnx, tokenizer, tokenizerConfig, manifest, modules, pooling, sentenceBert] = await Promise.all([
    fetchBytes(get, at('model.onnx'), true), fetchJson(get, at('tokenizer.json')), fetchJson(get, at('tokenizer_config.json')),
    fetchJson(get, at('twinembed.json')), fetchJson(get, at('modules.json')), fetchJson(get, at('1_Pooling/config.json')), fetchJson(get, at('sentence_bert_config.json')),
  ]);
  return {
    onnx: onnx!,
    source: base,
    tokenizer: tokenizer ? { json: tokenizer as object, config: tokenizerConfig as object | undefined } : undefined,
    manifest: manifest === undefined ? undefined : parseManifest(manifest, at('twinembed.json')),
    sentenceTransformers: modules || pooling || sentenceBert ? { modules, pooling, sentenceBert } : undefined,
  };
}

export interface LoadWebEmbedderOptions extends Omit<EmbedderOptions, 'model' | 'runtime'>, LoadModelUrlOptions {
  /** Default: webRuntime() (wasm). */
  runtime?: EmbedderOptions['runtime'];
}

export async function loadWebEmbedder(base: string, options: LoadWebEmbedderOptions = {}): Promise<Embedder> {
  const { runtime, fetch, ...rest } = options;
  return createEmbedder({ ...rest, runtime: runtime ?? webRuntime(), model: await loadModelFromUrl(base, { fetch }) });
}

/** A Blob (PNG, JPEG, anything the browser decodes) or an ImageBitmap → RGBA pixels. */
export async function decodeImageInBrowser(image: Blob | ImageBitmap): Promise<RasterImage> {
  if (typeof OffscreenCanvas === 'undefined') fail('image', 'decodeImageInBrowser: expected a browser with OffscreenCanvas; in Node use decodeImageFile from @twinembed/node');
  const bitmap = image instanceof Blob ? await createImageBitmap(image) : image;
  const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d') ?? fail('image', 'cannot get a 2d canvas context');
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { data, width: bitmap.width, height: bitmap.height, channels: 4 };
}
