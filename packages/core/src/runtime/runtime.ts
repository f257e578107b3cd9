// The one seam to ONNX Runtime. Core never imports an onnxruntime package: @twinembed/node and
// @twinembed/web each implement this interface over their own runtime, and everything else takes it as an argument.
import { fail } from '../errors.js';
import { DATA_TYPES, type DataType } from '../onnx/data-type.js';
import type { ValueSignature } from '../onnx/model-info.js';
import { elementCount, type TensorValues } from '../onnx/tensor-proto.js';

/** A tensor as runtimes take and return it; `type` names match onnxruntime's. */
export interface Tensor {
  readonly type: DataType;
  readonly dims: readonly number[];
  readonly data: TensorValues;
}

/** A model as bytes, or as a path (Node) or URL (browser) that the runtime reads itself. */
export type ModelSource = Uint8Array | string;

export interface ProviderFailure {
  provider: string;
  error: Error;
}

export interface SessionOptions {
  /** Overrides the runtime's provider list for this session. */
  executionProviders?: readonly string[];
  /** onnxruntime's graph optimizations (default 'all'). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface RunOptions {
  /** Output names to fetch (default: all outputs). */
  outputs?: readonly string[];
}

export interface Session {
  readonly inputs: readonly ValueSignature[];
  readonly outputs: readonly ValueSignature[];
  /** The provider that runs this session. */
  readonly executionProvider: string;
  /** Providers tried before it, and why each failed (empty when the first choice worked). */
  readonly fallbacks: readonly ProviderFailure[];
  run(feeds: Readonly<Record<string, Tensor>>, options?: RunOptions): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

export interface Runtime {
  /** 'onnxruntime-node' or 'onnxruntime-web'. */
  readonly name: string;
  /** Providers in order of preference. */
  readonly executionProviders: readonly string[];
  createSession(model: ModelSource, options?: SessionOptions): Promise<Session>;
}

/** A tensor with its element count checked against its dims. */
export function createTensor(type: DataType, data: TensorValues, dims: readonly number[]): Tensor {
  const expected = elementCount(dims);
  if (data.length !== expected) fail('runtime', `tensor of dims [${dims.join(', ')}]: expected ${expected} elements, got ${data.length}`);
  const ArrayType = DATA_TYPES[type].array;
  if (!(data instanceof ArrayType)) fail('runtime', `${type} tensor: expected ${ArrayType.name} data, got ${data.constructor.name}`);
  return { type, dims: [...dims], data };
}
