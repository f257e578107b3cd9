// The only file that imports onnxruntime-web: the Runtime over onnxruntime-web (wasm, webgpu).
// Runs in browsers and, with the wasm provider, in Node (for tests).
import {
  checkProviders, createTensor, fail, firstAvailable, runFailure, signaturesFromOrt,
  type ModelSource, type Runtime, type Session, type SessionOptions, type Tensor,
} from '@twinembed/core';
import * as ort from 'onnxruntime-web';

export const WEB_EXECUTION_PROVIDERS = ['wasm', 'webgpu'] as const;
export type WebExecutionProvider = (typeof WEB_EXECUTION_PROVIDERS)[number];

export interface WebRuntimeOptions {
  /** Providers in order of preference (default ['wasm']); unavailable ones fall back down the list, with every failure reported. */
  executionProviders?: readonly WebExecutionProvider[];
  /** Where onnxruntime-web's .wasm/.mjs files are served from (default: beside the bundle). */
  wasmPaths?: string;
  /** WASM threads (needs a cross-origin-isolated page in browsers). */
  numThreads?: number;
  /** onnxruntime's own log level, 0 (verbose) … 4 (fatal); default 4: a failed run's text comes back in the thrown error instead. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

export function webRuntime(options: WebRuntimeOptions = {}): Runtime {
  const providers = checkProviders(options.executionProviders ?? ['wasm'], WEB_EXECUTION_PROVIDERS, 'onnxruntime-web');
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
  const logSeverityLevel = options.logSeverityLevel ?? 4;
  return {
    name: 'onnxruntime-web',
    executionProviders: providers,
    async createSession(model: ModelSource, sessionOptions: SessionOptions = {}): Promise<Session> {
      const list = sessionOptions.executionProviders
        ? checkProviders(sessionOptions.executionProviders, WEB_EXECUTION_PROVIDERS, 'onnxruntime-web')
        : providers;
      const created = await firstAvailable(list, async (provider) => {
        if (provider === 'webgpu' && !(globalThis.navigator as { gpu?: unknown } | undefined)?.gpu) {
          throw new Error('WebGPU is not available here: navigator.gpu is undefined');
        }
        const init = { executionProviders: [provider], graphOptimizationLevel: sessionOptions.graphOptimizationLevel ?? 'all', logSeverityLevel } as const;
        return typeof model === 'string' ? ort.InferenceSession.create(model, init) : ort.InferenceSession.create(model, init);
      });
      return wrapSession(created.value, created.provider, created.failures);
    },
  };
}

/** onnxruntime-web rejects concurrent runs of one session ("Session already started"): runs are queued per session. */
function wrapSession(session: ort.InferenceSession, provider: string, fallbacks: Session['fallbacks']): Session {
  let queue: Promise<unknown> = Promise.resolve();
  const runOnce = async (feeds: Readonly<Record<string, Tensor>>, outputs?: readonly string[]) => {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
    const results = await (outputs ? session.run(ortFeeds, [...outputs]) : session.run(ortFeeds)).catch((cause: unknown) => runFailure(cause, provider));
    const out: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(results)) {
      if (!(value instanceof ort.Tensor)) fail('runtime', `output "${name}" is not a tensor: twinembed reads tensor outputs only`);
      const data = value.location === 'cpu' ? value.data : await value.getData(true);
      out[name] = createTensor(value.type as Tensor['type'], data as Tensor['data'], value.dims);
    }
    return out;
  };
  return {
    inputs: signaturesFromOrt(session.inputMetadata),
    outputs: signaturesFromOrt(session.outputMetadata),
    executionProvider: provider,
    fallbacks,
    run(feeds, runOptions = {}) {
      const result = queue.then(() => runOnce(feeds, runOptions.outputs));
      queue = result.catch(() => undefined);
      return result;
    },
    release: () => session.release(),
  };
}
