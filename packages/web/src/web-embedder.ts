// The browser's one-call path: a model (a directory URL, picked files, bytes, or files already loaded)
// → an Embedder on onnxruntime-web.
//   const embedder = await loadWebEmbedder('/models/minilm/', { runtime: webRuntime({ executionProviders: ['webgpu', 'wasm'] }) });
//   const rows = await embedder.embed(['a sentence', 'another one']);
import { createEmbedder, type Embedder, type EmbedderOptions, type ModelFiles } from '@twinembed/core';
import type { FetchOptions } from './load/byte-source.js';
import { modelFilesOf, type ModelSource } from './load/load-model.js';
import { webRuntime } from './web-runtime.js';

export interface LoadWebEmbedderOptions extends Omit<EmbedderOptions, 'model' | 'runtime'>, FetchOptions {
  /** Default: webRuntime() (wasm). */
  runtime?: EmbedderOptions['runtime'];
}

export async function loadWebEmbedder(model: ModelSource | ModelFiles, options: LoadWebEmbedderOptions = {}): Promise<Embedder> {
  const { runtime, fetch, ...rest } = options;
  return createEmbedder({ ...rest, runtime: runtime ?? webRuntime(), model: await modelFilesOf(model, { fetch }) });
}
