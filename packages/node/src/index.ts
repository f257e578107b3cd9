// @twinembed/node: core, plus onnxruntime-node and the file system.
export * from '@twinembed/core';
export { nodeRuntime, NODE_EXECUTION_PROVIDERS, type NodeRuntimeOptions, type NodeExecutionProvider } from './node-runtime.js';
export { loadModelFile, readModelBytes, readModelStructure, resolveModelPath, saveModelFile } from './model-file.js';
export { createNodeIndex, openHnswlibBytes, loadHnswlibNode, HnswlibIndex, type NodeIndexResult } from './hnswlib-index.js';
export { saveIndex, loadIndex, openIndexBytes, type LoadIndexOptions } from './index-file.js';
export { readVectorsFile, readJsonlVectors, readJsonlTexts, readIdsFile, parseNpy, encodeNpy, type VectorMatrix, type JsonlRows, type ReadVectorsOptions } from './vectors-file.js';
export { loadModelDirectory } from './embed/model-directory.js';
export { loadEmbedder, type LoadEmbedderOptions } from './embed/load-embedder.js';
export { DEFAULT_MODEL, DEFAULT_MODELS, defaultModelDir, isDefaultModel, resolveModel, type DefaultModel, type DefaultModelOptions } from './embed/default-models.js';
export { decodeImageFile, decodeImageBytes, type DecodeImageOptions } from './embed/decode-image.js';
export { encodePng } from './data/encode-png.js';
export { loadImageFolder, type ImageFolder, type LoadImageFolderOptions } from './data/image-folder.js';
export { readTrainRows, type TrainRows } from './train/read-train-rows.js';
export { createTextBatches, batchOrder, totalSteps, type BatchOf, type BatchOrderOptions, type TextBatchesOptions } from './train/text-batches.js';
export { writeModelDirectory, checkOutputPath, type DirectoryFiles } from './train/write-model-directory.js';
export { saveCheckpoint, loadCheckpoint, encodeCheckpoint, trainStepFingerprint, type CheckpointMeta, type LoadedCheckpoint, type LoadCheckpointOptions } from './train/checkpoint-file.js';
export { createNodeOneShotClassifier, nodeExampleReader, type NodeExample } from './oneshot/node-one-shot-classifier.js';
export { saveOneShotClassifier, loadOneShotClassifier, type LoadOneShotOptions } from './oneshot/one-shot-directory.js';
