// Node's one-call path: a model directory + options → an Embedder on onnxruntime-node.
import { createEmbedder, type Embedder, type EmbedderOptions } from '@twinembed/core';
import { nodeRuntime, type NodeRuntimeOptions } from '../node-runtime.js';
import { loadModelDirectory } from './model-directory.js';

export interface LoadEmbedderOptions extends Omit<EmbedderOptions, 'model' | 'runtime'> {
  /** Default: nodeRuntime(runtimeOptions). */
  runtime?: EmbedderOptions['runtime'];
  runtimeOptions?: NodeRuntimeOptions;
}

export async function loadEmbedder(dir: string, options: LoadEmbedderOptions = {}): Promise<Embedder> {
  const { runtime, runtimeOptions, ...rest } = options;
  return createEmbedder({ ...rest, runtime: runtime ?? nodeRuntime(runtimeOptions), model: await loadModelDirectory(dir) });
}
