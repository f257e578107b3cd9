// Node's one-call path: a model (a directory, an .onnx file or a default model's name) + options →
// an Embedder on onnxruntime-node. `loadEmbedder()` loads the default text model.
import { createEmbedder, type Embedder, type EmbedderOptions } from '@twinembed/core';
import { nodeRuntime, type NodeRuntimeOptions } from '../node-runtime.js';
import { DEFAULT_MODEL, resolveModel, type DefaultModelOptions } from './default-models.js';
import { loadModelDirectory } from './model-directory.js';

export interface LoadEmbedderOptions extends Omit<EmbedderOptions, 'model' | 'runtime'>, DefaultModelOptions {
  /** Default: nodeRuntime(runtimeOptions). */
  runtime?: EmbedderOptions['runtime'];
  runtimeOptions?: NodeRuntimeOptions;
}

/** `model`: a path, or one of DEFAULT_MODELS (an existing path of that name wins); default "text". */
export async function loadEmbedder(model: string = DEFAULT_MODEL, options: LoadEmbedderOptions = {}): Promise<Embedder> {
  const { runtime, runtimeOptions, modelsDir, ...rest } = options;
  const files = await loadModelDirectory(resolveModel(model, { modelsDir }));
  return createEmbedder({ ...rest, runtime: runtime ?? nodeRuntime(runtimeOptions), model: files });
}
