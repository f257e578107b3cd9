// @twinembed/web: core, plus onnxruntime-web (wasm, webgpu) for browsers.
export * from '@twinembed/core';
export { webRuntime, WEB_EXECUTION_PROVIDERS, type WebRuntimeOptions, type WebExecutionProvider } from './web-runtime.js';
export { loadModelFromUrl, loadWebEmbedder, decodeImageInBrowser, type LoadModelUrlOptions, type LoadWebEmbedderOptions } from './web-embedder.js';
