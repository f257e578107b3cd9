// The one-shot classifier's conformance suite (core) on onnxruntime-node's CPU provider.
import { runOneShotConformance } from '../../../core/src/oneshot/one-shot-conformance.js';
import { nodeRuntime } from '../node-runtime.js';

runOneShotConformance('onnxruntime-node cpu', () => nodeRuntime({ intraOpNumThreads: 1 }));
