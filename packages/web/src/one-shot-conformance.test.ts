// The one-shot classifier's conformance suite (core) on onnxruntime-web's wasm backend, in Node.
import { runOneShotConformance } from '../../core/src/oneshot/one-shot-conformance.js';
import { webRuntime } from './web-runtime.js';

runOneShotConformance('onnxruntime-web wasm', () => webRuntime());
