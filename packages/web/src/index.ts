// @twinembed/web: core, plus onnxruntime-web (wasm, webgpu), loaders for what a page holds (URLs,
// Responses, Files, bytes, picked folders), a worker client, and IndexedDB storage.
export * from '@twinembed/core';
export { webRuntime, WEB_EXECUTION_PROVIDERS, type WebRuntimeOptions, type WebExecutionProvider } from './web-runtime.js';
export { loadWebEmbedder, type LoadWebEmbedderOptions } from './web-embedder.js';
export { readBytes, readJson, type ByteSource, type Fetch, type FetchOptions, type FetchOptions as LoadModelUrlOptions } from './load/byte-source.js';
export { loadModel, loadModelFromUrl, isModelFiles, type ModelSource } from './load/load-model.js';
export { readModelDirectory, urlDirectory, fileMapDirectory, handleDirectory, pickedFiles, type DirectoryReader, type FileMap } from './load/model-directory.js';
export { loadTokenizer, type LoadTokenizerOptions } from './load/load-tokenizer.js';
export { loadImage, decodeImageInBrowser, type ImageSource } from './load/load-image.js';
export { loadIndex } from './load/load-index.js';
export { openStore, type OpenStoreOptions, type StoredItem, type StoredKind, type TwinembedStore } from './storage/open-store.js';
export type { LoadClassifierOptions } from './storage/stored-classifier.js';
export { createWorkerClient, createLocalClient, type CallOptions, type TwinembedClient } from './worker/worker-client.js';
export { serveWorker, type MessageEndpoint, type ServeWorkerOptions } from './worker/serve-worker.js';
export { createOperations } from './worker/operations.js';
export type {
  AddToIndexRequest, CallContext, CreateTrainerRequest, EmbedderInfo, EmbedProgress, EmbedRequest, IndexInfo, LoadEmbedderRequest, ModelInput,
  OperationName, Operations, OptimizerChoice, Progress, RequestOf, ResultOf, SearchRequest, TrainerInfo, TrainProgress, TrainRequest, TrainResult, WebEmbedInput,
} from './worker/protocol.js';
export type { ClassifierInfo, ClassifyRequest, CreateClassifierRequest, EnrollRequest, LoadClassifierRequest } from './worker/classifier-protocol.js';
