// @twinembed/node: core, plus onnxruntime-node and the file system.
export * from '@twinembed/core';
export { nodeRuntime, NODE_EXECUTION_PROVIDERS, type NodeRuntimeOptions, type NodeExecutionProvider } from './node-runtime.js';
export { loadModelFile, readModelBytes, readModelStructure, resolveModelPath, saveModelFile } from './model-file.js';
export { createNodeIndex, openHnswlibBytes, loadHnswlibNode, HnswlibIndex, type NodeIndexResult } from './hnswlib-index.js';
export { saveIndex, loadIndex, openIndexBytes, type LoadIndexOptions } from './index-file.js';
