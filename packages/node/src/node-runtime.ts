// The only file that imports onnxruntime-node: the Runtime over onnxruntime-node (cpu, cuda, webgpu).
import {
  checkProviders, createTensor, fail, firstAvailable, runFailure, signaturesFromOrt,
  type ModelSource, type Runtime, type Session, type SessionOptions, type Tensor,
} from '@twinembed/core';
import * as ort from 'onnxruntime-node';
import { readModelBytes } from './model-file.js';

export const NODE_EXECUTION_PROVIDERS = ['cpu', 'cuda', 'webgpu'] as const;
export type NodeExecutionProvider = (typeof NODE_EXECUTION_PROVIDERS)[number];

export interface NodeRuntimeOptions {
  /** Providers in order of preference (default ['cpu']); unavailable ones fall back down the list, with every failure reported. */
  executionProviders?: readonly NodeExecutionProvider[];
  /** Threads for one op (onnxruntime's default: one per physical core). */
  intraOpNumThreads?: number;
  /**
   * onnxruntime's own log level, 0 (verbose) … 4 (fatal); default 4: a failed run's text comes back
   * in the thrown error instead of being printed to stderr first by onnxruntime. It also sets the
   * process-wide env.logLevel (read once, at the first session) if the app left it at 'warning'.
   */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** Providers whose libraries are downloaded at install time rather than shipped in the npm tarball. */
function isDownloadedAtInstall(provider: string): boolean {
  return ort.listSupportedBackends().some((b) => b.name === provider && !b.bundled);
}

async function createOrtSession(bytes: Uint8Array, provider: string, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { ...options, executionProviders: [provider] });
  } catch (error) {
    if (!isDownloadedAtInstall(provider)) throw error;
    const hint = `the ${provider} provider's libraries are not installed: onnxruntime-node downloads them at install time, which twinembed skips by default (see the README's "CUDA" section: reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12)`;
    throw new Error(`${hint}; onnxruntime said: ${(error as Error).message}`, { cause: error });
  }
}

const LOG_LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;

export function nodeRuntime(options: NodeRuntimeOptions = {}): Runtime {
  const providers = checkProviders(options.executionProviders ?? ['cpu'], NODE_EXECUTION_PROVIDERS, 'onnxruntime-node');
  const threads = options.intraOpNumThreads;
  const logSeverityLevel = options.logSeverityLevel ?? 4;
  if (!LOG_LEVELS[logSeverityLevel]) fail('runtime', `onnxruntime-node logSeverityLevel: expected 0 (verbose) … 4 (fatal), got ${JSON.stringify(logSeverityLevel)}`);
  return {
    name: 'onnxruntime-node',
    executionProviders: providers,
    async createSession(model: ModelSource, sessionOptions: SessionOptions = {}): Promise<Session> {
      const list = sessionOptions.executionProviders
        ? checkProviders(sessionOptions.executionProviders, NODE_EXECUTION_PROVIDERS, 'onnxruntime-node')
        : providers;
      const bytes = typeof model === 'string' ? await readModelBytes(model) : model;
      // Provider libraries that fail to load are logged by the environment, not the session.
      if (ort.env.logLevel === 'warning') ort.env.logLevel = LOG_LEVELS[logSeverityLevel];
      const created = await firstAvailable(list, (provider) => createOrtSession(bytes, provider, {
        graphOptimizationLevel: sessionOptions.graphOptimizationLevel ?? 'all',
        logSeverityLevel,
        ...(threads !== undefined ? { intraOpNumThreads: threads } : {}),
      }));
      return wrapSession(created.value, created.provider, created.failures);
    },
  };
}

function wrapSession(session: ort.InferenceSession, provider: string, fallbacks: Session['fallbacks']): Session {
  return {
    inputs: signaturesFromOrt(session.inputMetadata),
    outputs: signaturesFromOrt(session.outputMetadata),
    executionProvider: provider,
    fallbacks,
    async run(feeds, runOptions = {}) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
      const results = await (runOptions.outputs ? session.run(ortFeeds, [...runOptions.outputs]) : session.run(ortFeeds)).catch((cause: unknown) => runFailure(cause, provider));
      const out: Record<string, Tensor> = {};
      for (const [name, value] of Object.entries(results)) {
        if (!(value instanceof ort.Tensor)) fail('runtime', `output "${name}" is not a tensor: twinembed reads tensor outputs only`);
        out[name] = createTensor(value.type as Tensor['type'], value.data as Tensor['data'], value.dims);
      }
      return out;
    },
    release: () => session.release(),
  };
}
