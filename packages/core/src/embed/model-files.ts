// What a model directory holds, as plain data: Node reads it from disk, the browser fetches it,
// and everything after that (detection, pooling, tokenization) is the same code.
import { fail } from '../errors.js';
import type { Manifest, Pooling } from './manifest.js';

export interface ModelFiles {
  /** `model.onnx`, with any external data already inlined. */
  onnx: Uint8Array;
  /** `tokenizer.json` and `tokenizer_config.json`, parsed. */
  tokenizer?: { json: object; config?: object };
  /** `twinembed.json`, validated with parseManifest. */
  manifest?: Manifest;
  /** sentence-transformers' configs, parsed, when present. */
  sentenceTransformers?: {
    modules?: unknown;
    pooling?: unknown;
    sentenceBert?: unknown;
    /** `config_sentence_transformers.json`: prompts and default_prompt_name. */
    config?: unknown;
  };
  /** Where the files came from, for messages. */
  source?: string;
}

/** What sentence-transformers' configs say about pooling, normalization and length. */
export interface SentenceTransformersHints {
  pooling?: Pooling;
  normalize?: boolean;
  maxLength?: number;
  /** Pooling's include_prompt: false drops the prompt's tokens from mean, max and last-token pooling. */
  includePrompt?: boolean;
}

const POOLING_FLAGS: [string, Pooling][] = [
  ['pooling_mode_cls_token', 'cls'], ['pooling_mode_mean_tokens', 'mean'],
  ['pooling_mode_max_tokens', 'max'], ['pooling_mode_lasttoken', 'last_token'],
];

export function sentenceTransformersHints(st: ModelFiles['sentenceTransformers']): SentenceTransformersHints {
  const hints: SentenceTransformersHints = {};
  const pooling = st?.pooling as Record<string, unknown> | undefined;
  if (pooling) {
    if (typeof pooling.pooling_mode === 'string') hints.pooling = pooling.pooling_mode === 'lasttoken' ? 'last_token' : (pooling.pooling_mode as Pooling);
    for (const [flag, mode] of POOLING_FLAGS) if (pooling[flag] === true) hints.pooling = mode;
    if (typeof pooling.include_prompt === 'boolean') hints.includePrompt = pooling.include_prompt;
  }
  // A sentence-transformers model normalizes exactly when its module list has a Normalize module.
  if (Array.isArray(st?.modules)) hints.normalize = st.modules.some((m) => String((m as { type?: unknown }).type).endsWith('.Normalize'));
  const maxLength = (st?.sentenceBert as { max_seq_length?: unknown } | undefined)?.max_seq_length;
  if (typeof maxLength === 'number' && Number.isInteger(maxLength) && maxLength > 0) hints.maxLength = maxLength;
  else if (maxLength !== undefined && maxLength !== null) fail('embed', `sentence_bert_config.json max_seq_length: expected a positive integer, got ${JSON.stringify(maxLength)}`);
  return hints;
}
