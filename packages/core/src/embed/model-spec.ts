// Which input gets what, which tensor is the embedding and how it is pooled: from the manifest
// when it says so, else detected from the signature (BERT-like text exports, one-input image models).
import { fail } from '../errors.js';
import type { ModelInfo, ValueSignature } from '../onnx/model-info.js';
import type { ImageManifest, Manifest, Pooling } from './manifest.js';
import { resolveMaxLength, type LengthSources } from './max-length.js';
import type { SentenceTransformersHints } from './model-files.js';

export interface TextSpec {
  modality: 'text';
  ids: ValueSignature;
  mask?: ValueSignature;
  tokenTypes?: ValueSignature;
  /** A fixed sequence length in the model's input shape: every batch is padded to it. */
  fixedLength?: number;
  /** Tokens kept per text (longer ones are truncated): see resolveMaxLength. */
  maxLength?: number;
  /** false: a prompt's tokens are left out of pooling (sentence-transformers' include_prompt); absent means true. */
  includePrompt?: boolean;
}

export interface ImageSpec {
  modality: 'image';
  pixels: ValueSignature;
  /** `ink` stays unset when the manifest does not state it: nothing can tell a model's polarity. */
  image: Required<Omit<ImageManifest, 'size' | 'ink'>> & Pick<ImageManifest, 'ink'> & { height: number; width: number };
}

export type EmbedSpec = (TextSpec | ImageSpec) & {
  /** The tensor the embedding is pooled from: a graph output or an intermediate tensor. */
  output: string;
  pooling: Pooling;
  normalize: boolean;
};

export interface SpecOverrides {
  pooling?: Pooling;
  normalize?: boolean;
  maxLength?: number;
  output?: string;
}

const isInt = (v: ValueSignature) => v.type === 'int64' || v.type === 'int32';

function pick(inputs: readonly ValueSignature[], name: string | undefined, pattern: RegExp, what: string): ValueSignature | undefined {
  if (name === undefined) return inputs.find((v) => pattern.test(v.name));
  const found = inputs.find((v) => v.name === name);
  if (!found) fail('embed', `twinembed.json inputs.${what}: expected one of the model's inputs (${inputs.map((v) => v.name).join(', ')}), got "${name}"`);
  return found;
}

function isImageInput(v: ValueSignature): boolean {
  return v.type === 'float32' && v.shape?.length === 4;
}

function detectModality(info: ModelInfo, manifest: Manifest): 'text' | 'image' {
  if (manifest.modality) return manifest.modality;
  if (manifest.inputs?.pixels || manifest.image) return 'image';
  if (manifest.inputs?.ids || info.inputs.some((v) => isInt(v) && /ids/i.test(v.name))) return 'text';
  const floats = info.inputs.filter(isImageInput);
  if (floats.length === 1 && info.inputs.length === 1) return 'image';
  const list = info.inputs.map((v) => `${v.name} ${v.type} [${v.shape?.join(', ') ?? '?'}]`).join(', ');
  return fail('embed', `cannot tell what this model embeds: expected integer token-id inputs (input_ids, …) or one float NCHW image input, got ${list} (state it in twinembed.json: {"modality": "text"|"image", "inputs": {…}})`);
}

function textSpec(info: ModelInfo, manifest: Manifest, lengths: LengthSources): TextSpec {
  const m = manifest.inputs ?? {};
  const ids = pick(info.inputs, m.ids, /input_ids|^ids$|token_ids/i, 'ids') ?? fail('embed', `no token-id input found among ${info.inputs.map((v) => v.name).join(', ')}: name it in twinembed.json {"inputs": {"ids": "…"}}`);
  const mask = pick(info.inputs, m.mask, /mask/i, 'mask');
  const tokenTypes = pick(info.inputs, m.tokenTypes, /type|segment/i, 'tokenTypes');
  for (const v of [ids, mask, tokenTypes]) if (v && !isInt(v)) fail('embed', `input "${v.name}": expected int64 or int32 token data, got ${v.type}`);
  const known = new Set([ids, mask, tokenTypes].map((v) => v?.name));
  const other = info.inputs.filter((v) => !known.has(v.name));
  if (other.length > 0) fail('embed', `model inputs ${other.map((v) => `"${v.name}"`).join(', ')} are neither token ids, attention mask nor token types: map them in twinembed.json "inputs"`);
  const seq = ids.shape?.[1];
  const fixedLength = typeof seq === 'number' && seq > 0 ? seq : undefined;
  return { modality: 'text', ids, mask, tokenTypes, fixedLength, maxLength: resolveMaxLength({ ...lengths, fixedLength }) };
}

function imageSpec(info: ModelInfo, manifest: Manifest): ImageSpec {
  const pixels = pick(info.inputs, manifest.inputs?.pixels, /./, 'pixels')!;
  if (pixels.type !== 'float32' || pixels.shape?.length !== 4) fail('embed', `image input "${pixels.name}": expected float32 of rank 4, got ${pixels.type} [${pixels.shape?.join(', ') ?? '?'}]`);
  const m = manifest.image ?? {};
  const [, a, b, c] = pixels.shape;
  const layout = m.layout ?? (a === 1 || a === 3 ? 'nchw' : 'nhwc');
  const [channels, height, width] = layout === 'nchw' ? [a, b, c] : [c, a, b];
  const size = typeof m.size === 'number' ? [m.size, m.size] : m.size;
  const dim = (given: number | undefined, d: unknown, what: string) =>
    given ?? (typeof d === 'number' && d > 0 ? d : fail('embed', `image input "${pixels.name}" has no fixed ${what}: state "image": {"size": …} in twinembed.json`));
  const ch = m.channels ?? (channels === 1 || channels === 3 ? channels : fail('embed', `image input "${pixels.name}": cannot tell its channel count from [${pixels.shape.join(', ')}]: state "image": {"channels": 1|3}`));
  return {
    modality: 'image', pixels,
    image: {
      height: dim(size?.[0], height, 'height'), width: dim(size?.[1], width, 'width'), channels: ch, layout,
      scale: m.scale ?? 1 / 255, mean: m.mean ?? [0], std: m.std ?? [1], invert: m.invert ?? false,
      resize: m.resize ?? 'area', ...(m.ink ? { ink: m.ink } : {}),
    },
  };
}

const isFloatTensor = (v: ValueSignature) => v.type === 'float32' || v.type === 'float16';

function chooseOutput(info: ModelInfo, wanted: string | undefined): { name: string; rank?: number } {
  if (wanted) return { name: wanted, rank: info.outputs.find((o) => o.name === wanted)?.shape?.length };
  const byName = ['sentence_embedding', 'pooler_output', 'last_hidden_state', 'embedding', 'embeddings']
    .map((n) => info.outputs.find((o) => o.name === n)).find((o) => o && isFloatTensor(o));
  const chosen = byName ?? info.outputs.find(isFloatTensor);
  if (!chosen) {
    const list = info.outputs.map((o) => `${o.name} (${o.type})`).join(', ');
    fail('embed', `no float tensor output to use as the embedding (outputs: ${list}): name a tensor with "output" in twinembed.json or --output-name`);
  }
  return { name: chosen.name, rank: chosen.shape?.length };
}

/** Where the maximum length comes from, in order: the caller, twinembed.json, sentence-transformers, the tokenizer. */
export function lengthSources(manifest: Manifest, hints: SentenceTransformersHints, tokenizerMax: number | undefined, overrides: SpecOverrides): LengthSources {
  const requested = overrides.maxLength !== undefined ? { tokens: overrides.maxLength, what: 'maxLength' }
    : manifest.maxLength !== undefined ? { tokens: manifest.maxLength, what: 'twinembed.json maxLength' } : undefined;
  return { requested, configured: hints.maxLength ?? tokenizerMax };
}

/** The spec; a text spec's maxLength is provisional until prepareModel caps it by the graph's position table. */
export function resolveSpec(info: ModelInfo, manifest: Manifest, hints: SentenceTransformersHints, tokenizerMax: number | undefined, overrides: SpecOverrides = {}): EmbedSpec {
  const modality = detectModality(info, manifest);
  const lengths = lengthSources(manifest, hints, tokenizerMax, overrides);
  const base = modality === 'text' ? { ...textSpec(info, manifest, lengths), includePrompt: hints.includePrompt ?? true } : imageSpec(info, manifest);
  const output = chooseOutput(info, overrides.output ?? manifest.output);
  // Token outputs [batch, seq, hidden] pool by mean unless told; anything else is already one row per input.
  const defaultPooling: Pooling = modality === 'text' && (output.rank === 3 || output.rank === undefined) ? 'mean' : 'none';
  return {
    ...base,
    output: output.name,
    pooling: overrides.pooling ?? manifest.pooling ?? (output.rank === 2 ? 'none' : hints.pooling ?? defaultPooling),
    // Without any statement, normalize (cosine-ready); a sentence-transformers directory decides as Python would.
    normalize: overrides.normalize ?? manifest.normalize ?? hints.normalize ?? true,
  };
}
