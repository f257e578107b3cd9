// createEmbedder: a model directory's files + a Runtime → embeddings. The encoder, pooling and
// normalization run as one fused ONNX session; inputs are length-sorted into batches and the
// rows come back in the caller's order.
import { fail } from '../errors.js';
import { encodeModel } from '../onnx/proto.js';
import type { Runtime, Session, SessionOptions } from '../runtime/runtime.js';
import { createTextTokenizer, type TextTokenizer } from '../tokenize/text-tokenizer.js';
import type { FusedModel } from './fused-model.js';
import type { Pooling } from './manifest.js';
import type { ModelFiles } from './model-files.js';
import type { EmbedSpec } from './model-spec.js';
import { prepareModel } from './prepare-model.js';
import { promptTokenCount, readPromptConfig, resolvePrompt, type PromptChoice, type PromptConfig } from './prompts.js';
import { tokenizeInputs, type TextLimits } from './text-inputs.js';
import { imageFeeds, type ImageInput } from './image-feeds.js';
import { lengthSortedBatches, textFeeds, type TextFeedSpec } from './text-batch.js';

/** Pre-tokenized text: ids (special tokens included) and optional token types. */
export interface TokenIds {
  ids: ArrayLike<number>;
  typeIds?: ArrayLike<number>;
}

export type EmbedInput = string | TokenIds | ImageInput;

export interface EmbedderOptions {
  runtime: Runtime;
  model: ModelFiles;
  /** Inputs per session run (default 32). */
  batchSize?: number;
  pooling?: Pooling;
  normalize?: boolean;
  /** Tokens kept per text, special tokens included (default: the model's configs, capped by its position table). */
  maxLength?: number;
  /** false: a text longer than maxLength is refused, naming it, instead of truncated (default true, as sentence-transformers). */
  truncate?: boolean;
  /** The tensor to embed from, overriding the manifest: a graph output or an intermediate tensor. */
  outputName?: string;
  sessionOptions?: SessionOptions;
}

/** `prompt` / `promptName` choose the prefix put before each text, as in SentenceTransformer.encode. */
export interface EmbedCallOptions extends PromptChoice {
  /** Called after each batch with the inputs embedded so far (for progress bars). */
  onProgress?: (done: number, total: number) => void;
}

export interface Embedder {
  readonly dim: number;
  readonly spec: EmbedSpec;
  /** The fused model (encoder + pooling + normalization) the session runs. */
  readonly fused: FusedModel;
  /** The prompts of config_sentence_transformers.json (with sentence-transformers' empty "query" and "document"). */
  readonly prompts: PromptConfig;
  embed(inputs: readonly EmbedInput[], options?: EmbedCallOptions): Promise<Float32Array[]>;
  /** The same rows as one [count, dim] row-major matrix. */
  embedMatrix(inputs: readonly EmbedInput[], options?: EmbedCallOptions): Promise<Float32Array>;
  dispose(): Promise<void>;
}

function checkOptions(options: EmbedderOptions): number {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) fail('embed', `batchSize: expected a positive integer, got ${batchSize}`);
  if (!options.runtime) fail('embed', 'runtime: expected a Runtime (nodeRuntime() or webRuntime()), got none');
  if (!(options.model?.onnx instanceof Uint8Array)) fail('embed', 'model.onnx: expected the model bytes (a Uint8Array)');
  if (options.truncate !== undefined && typeof options.truncate !== 'boolean') fail('embed', `truncate: expected true or false, got ${JSON.stringify(options.truncate)}`);
  return batchSize;
}

function makeTokenizer(files: ModelFiles, spec: EmbedSpec, fused: FusedModel, truncate: boolean): TextTokenizer | undefined {
  if (spec.modality !== 'text' || !files.tokenizer) return undefined;
  const tokenizer = createTextTokenizer({ ...files.tokenizer, maxLength: spec.maxLength, truncate });
  if (fused.vocabRows !== undefined && tokenizer.vocabSize > fused.vocabRows) {
    fail('embed', `tokenizer.json does not fit the model: its ids run to ${tokenizer.vocabSize - 1}, but the model's token-embedding table has ${fused.vocabRows} rows${files.source ? ` (${files.source})` : ''}`);
  }
  return tokenizer;
}

export async function createEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const batchSize = checkOptions(options);
  const files = options.model;
  const { spec, fused } = prepareModel(files, {
    pooling: options.pooling, normalize: options.normalize, maxLength: options.maxLength, output: options.outputName,
  });
  const truncate = options.truncate ?? true;
  const tokenizer = makeTokenizer(files, spec, fused, truncate);
  const prompts = readPromptConfig(files.sentenceTransformers?.config, files.source);
  const session = await options.runtime.createSession(encodeModel(fused.model), options.sessionOptions);
  const run = createRunner({ session, spec, fused, tokenizer, prompts, batchSize, truncate });
  const probe = await run(spec.modality === 'text' ? [{ ids: [0, 0] }] : [new Float32Array(spec.image.channels * spec.image.height * spec.image.width)], { prompt: '' });
  const dim = probe.dim;
  return {
    dim, spec, fused, prompts,
    embed: async (inputs, callOptions) => {
      const { data } = await run(inputs, callOptions);
      return Array.from({ length: inputs.length }, (_, i) => data.slice(i * dim, (i + 1) * dim));
    },
    embedMatrix: async (inputs, callOptions) => (await run(inputs, callOptions)).data,
    dispose: () => session.release(),
  };
}

type Runner = (inputs: readonly EmbedInput[], options?: EmbedCallOptions) => Promise<{ data: Float32Array; dim: number }>;

/** Which session inputs take ids, mask and token types (an input pruned from the fused graph is not fed). */
function textFeedSpec(session: Session, spec: EmbedSpec, fused: FusedModel, tokenizer: TextTokenizer | undefined): TextFeedSpec | undefined {
  if (spec.modality !== 'text') return undefined;
  const fed = new Set(session.inputs.map((v) => v.name));
  const maskName = [fused.mask, spec.mask?.name].find((n) => n !== undefined && fed.has(n));
  return {
    ids: spec.ids,
    mask: maskName === undefined ? undefined : { name: maskName, type: session.inputs.find((v) => v.name === maskName)!.type },
    tokenTypes: spec.tokenTypes && fed.has(spec.tokenTypes.name) ? spec.tokenTypes : undefined,
    fixedLength: spec.fixedLength,
    // The tokenizer's own pad id, as transformers pads. A tokenizer that names none cannot pad in
    // transformers at all; 0 then stands in, and models that honour the attention mask never read it.
    padId: tokenizer?.padId ?? 0,
    promptLength: fused.promptLength,
  };
}

/** include_prompt: false → how many leading tokens pooling leaves out for this call's prompt. */
function promptTokens(prompt: string, spec: EmbedSpec, fused: FusedModel, tokenizer: TextTokenizer | undefined): number {
  if (prompt === '' || spec.modality !== 'text' || spec.includePrompt !== false || !tokenizer) return 0;
  if (spec.pooling === 'none') fail('embed', `the model's Pooling config says include_prompt: false, but "${spec.output}" is already pooled (pooling "none"), so the prompt ${JSON.stringify(prompt)} cannot be left out of it: embed from the token embeddings, or without a prompt (prompt: '')`);
  return fused.promptLength === undefined ? 0 : promptTokenCount(tokenizer, prompt); // CLS pooling takes token 0 either way
}

interface RunnerParts {
  session: Session;
  spec: EmbedSpec;
  fused: FusedModel;
  tokenizer: TextTokenizer | undefined;
  prompts: PromptConfig;
  batchSize: number;
  truncate: boolean;
}

function createRunner({ session, spec, fused, tokenizer, prompts, batchSize, truncate }: RunnerParts): Runner {
  const feedSpec = textFeedSpec(session, spec, fused, tokenizer);
  const limits: TextLimits = { vocabRows: fused.vocabRows, maxLength: spec.modality === 'text' ? spec.maxLength : undefined, modelTokens: fused.positions?.tokens, truncate };
  return async (inputs, options = {}) => {
    if (inputs.length === 0) fail('embed', 'inputs: expected at least one input, got an empty list');
    const prompt = resolvePrompt(prompts, options);
    if (prompt !== '' && spec.modality !== 'text') fail('embed', `prompt ${JSON.stringify(prompt)}: prompts go before texts, and this is an image model`);
    const rows = feedSpec ? tokenizeInputs(inputs, tokenizer, limits, prompt) : undefined;
    const skip = promptTokens(prompt, spec, fused, tokenizer);
    const batches = lengthSortedBatches(rows ? rows.map((r) => r.ids.length) : inputs.map(() => 0), batchSize);
    let out: Float32Array | undefined;
    let dim = 0;
    let done = 0;
    // Batches run one after another: onnxruntime already uses every core inside one run.
    for (const batch of batches) {
      const feeds = rows ? textFeeds(batch.map((i) => rows[i]!), feedSpec!, skip) : imageFeeds(batch.map((i) => inputs[i]!), spec);
      const result = (await session.run(feeds, { outputs: [fused.output] }))[fused.output]!;
      dim = result.dims[1] ?? fail('embed', `output "${fused.output}": expected [batch, dim], got [${result.dims.join(', ')}]`);
      out ??= new Float32Array(inputs.length * dim);
      const data = result.data as Float32Array;
      batch.forEach((row, k) => out!.set(data.subarray(k * dim, (k + 1) * dim), row * dim));
      options.onProgress?.((done += batch.length), inputs.length);
    }
    return { data: out!, dim };
  };
}
