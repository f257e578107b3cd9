// The operations a worker (or the page itself) runs for a client, and the messages that carry them.
// Every value here survives structured cloning: handles are strings, tensors plain objects, and
// errors travel as their area and message and become TwinembedErrors again on the other side.
import type {
  EmbedInput, IndexOptions, Metadata, ModelFiles, NamedLossOptions, OneShotResult, OneShotSnapshot, Pooling, PromptChoice, SearchResult,
  TrainBatch, VectorId, VectorRows,
} from '@twinembed/core';
import type { ClassifierInfo, ClassifyRequest, CreateClassifierRequest, EnrollRequest, LoadClassifierRequest } from './classifier-protocol.js';
import type { ByteSource } from '../load/byte-source.js';
import type { ModelSource } from '../load/load-model.js';
import type { WebRuntimeOptions } from '../web-runtime.js';

/** A model to load, or model files already loaded (from the store or an export). A Response is read by the client first. */
export type ModelInput = ModelSource | ModelFiles;

export interface RuntimeChoice {
  /** onnxruntime-web settings inside the worker (default: wasm). */
  runtime?: WebRuntimeOptions;
}

export interface LoadEmbedderRequest extends RuntimeChoice {
  model: ModelInput;
  pooling?: Pooling;
  normalize?: boolean;
  maxLength?: number;
  /** false: refuse a text longer than maxLength instead of truncating it (EmbedderOptions.truncate). */
  truncate?: boolean;
  batchSize?: number;
  outputName?: string;
}

export interface EmbedderInfo {
  embedder: string;
  dim: number;
  modality: 'text' | 'image';
  executionProvider: string;
  /** Providers tried first, with why each failed. */
  fallbacks: string[];
}

/** Text, token ids, decoded or preprocessed images, or images still to decode (a Blob or ImageBitmap). */
export type WebEmbedInput = EmbedInput | Blob | ImageBitmap;

export interface EmbedRequest extends PromptChoice {
  embedder: string;
  inputs: readonly WebEmbedInput[];
}

export interface IndexInfo {
  index: string;
  backend: string;
  dim: number;
  metric: string;
  size: number;
}

export interface AddToIndexRequest {
  index: string;
  ids: readonly VectorId[];
  /** `ids.length` rows: one row-major Float32Array, or one Float32Array per row. */
  vectors: VectorRows;
  metadata?: readonly (Metadata | undefined)[];
  replace?: boolean;
}

export interface SearchRequest {
  index: string;
  /** One query, or several as one row-major matrix: one result per query. */
  queries: Float32Array;
  k: number;
  ef?: number;
  /** Metadata fields to match (a function cannot cross to a worker). */
  filter?: Metadata;
}

export type OptimizerChoice =
  | { name: 'adamw' | 'adam'; betas?: [number, number]; eps?: number; weightDecay?: number }
  | { name: 'sgd'; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean };

export interface CreateTrainerRequest extends RuntimeChoice {
  /** The encoder to fine-tune; its manifest and tokenizer go with the exported model. */
  model: ModelInput;
  /** A sentence-transformers loss class name (e.g. "MultipleNegativesRankingLoss", "TripletLoss"). */
  loss: string;
  lossOptions?: NamedLossOptions;
  /** Default { name: 'adamw' }: PyTorch's defaults. */
  optimizer?: OptimizerChoice;
  lr: number;
  /** Default: the model's (its manifest's, or mean for token outputs). */
  pooling?: Pooling;
  output?: string;
}

export interface TrainerInfo {
  trainer: string;
  executionProvider: string;
  fallbacks: string[];
  /** The feeds each batch must hold: `${role}.${encoderInput}` and the labels input, when the loss has one. */
  batchInputs: string[];
  /** Trainable tensors and their total element count. */
  parameters: { tensors: number; values: number };
}

export interface TrainRequest {
  trainer: string;
  /** One optimizer step per batch, in order. */
  batches: readonly TrainBatch[];
}

export interface TrainResult {
  /** One loss per step taken (before that step's update). */
  losses: number[];
  /** Steps taken by this trainer so far. */
  step: number;
  /** True when the call was cancelled (its AbortSignal fired) before every batch was used. */
  cancelled: boolean;
}

export interface EmbedProgress { kind: 'embed'; done: number; total: number }
export interface TrainProgress { kind: 'train'; step: number; loss: number; stepsPerSecond: number; lr: number; executionProvider: string }
export type Progress = EmbedProgress | TrainProgress;

/** What an operation may do besides returning: report progress, and see whether its caller gave up. */
export interface CallContext {
  progress(progress: Progress): void;
  cancelled(): boolean;
}

/**
 * The operations, by name. Every typed array an operation returns is its own (never a view of
 * state it keeps), so the worker transfers it to the page instead of copying it.
 */
export interface Operations {
  loadEmbedder(request: LoadEmbedderRequest): Promise<EmbedderInfo>;
  /** A [inputs × dim] row-major matrix. */
  embed(request: EmbedRequest, context: CallContext): Promise<Float32Array>;
  createIndex(request: IndexOptions): Promise<IndexInfo>;
  /** An index file: its bytes, a URL, a File or a Blob. */
  loadIndex(request: { source: ByteSource }): Promise<IndexInfo>;
  addToIndex(request: AddToIndexRequest): Promise<IndexInfo>;
  search(request: SearchRequest): Promise<SearchResult[]>;
  /** The index file's bytes (for the store, a download, or @twinembed/node's loadIndex). */
  indexBytes(request: { index: string }): Promise<Uint8Array>;
  /** A one-shot classifier over an embedder: enroll examples per label, classify by the nearest class prototype. */
  createClassifier(request: CreateClassifierRequest): Promise<ClassifierInfo>;
  /** Adds examples to a label (creating it). */
  enroll(request: EnrollRequest): Promise<ClassifierInfo>;
  classify(request: ClassifyRequest): Promise<OneShotResult[]>;
  /** Forgets a label and its examples; an unknown label fails. */
  removeLabel(request: { classifier: string; label: string }): Promise<ClassifierInfo>;
  /** The classifier as data (manifest, index and example bytes), for a store's saveClassifier. */
  classifierSnapshot(request: { classifier: string }): Promise<OneShotSnapshot>;
  /** A classifier from a snapshot; refused when its checksums fail or the embedder is not the model that made it. */
  loadClassifier(request: LoadClassifierRequest): Promise<ClassifierInfo>;
  createTrainer(request: CreateTrainerRequest): Promise<TrainerInfo>;
  train(request: TrainRequest, context: CallContext): Promise<TrainResult>;
  /** Mean loss over the batches at the current parameters; changes nothing. */
  evaluate(request: TrainRequest): Promise<number>;
  /** The fine-tuned encoder as model files: model.onnx with the trained values, the manifest and tokenizer. */
  exportModel(request: { trainer: string }): Promise<ModelFiles>;
  /** Releases an embedder's or trainer's session, or forgets an index or a classifier. */
  dispose(request: { handle: string }): Promise<void>;
}

export type OperationName = keyof Operations;
export type RequestOf<K extends OperationName> = Parameters<Operations[K]>[0];
export type ResultOf<K extends OperationName> = Awaited<ReturnType<Operations[K]>>;

// A record, so that an operation added to the interface and not here fails to compile.
const OPERATIONS: Record<OperationName, true> = {
  loadEmbedder: true, embed: true, createIndex: true, loadIndex: true, addToIndex: true, search: true, indexBytes: true,
  createClassifier: true, enroll: true, classify: true, removeLabel: true, classifierSnapshot: true, loadClassifier: true,
  createTrainer: true, train: true, evaluate: true, exportModel: true, dispose: true,
};
export const OPERATION_NAMES = Object.keys(OPERATIONS) as readonly OperationName[];

/** An error as it crosses: the TwinembedError area and the message after its "[twinembed:area] " prefix. */
export interface WireError { area: string; message: string; /** For errors that are not TwinembedErrors (bugs): where it happened. */ stack?: string }

export type ClientMessage =
  | { type: 'call'; id: number; operation: OperationName; request: unknown }
  | { type: 'cancel'; id: number };

export type HostMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'progress'; id: number; progress: Progress };
