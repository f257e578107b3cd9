// Text → token ids with the model's own tokenizer.json (@huggingface/tokenizers, pure JS), truncated
// as the Python tokenizer truncates: the text is cut so that the special tokens around it
// (the final [SEP] included) still fit in maxLength.
import { Tokenizer } from '@huggingface/tokenizers';
import { fail } from '../errors.js';
import { padTokenId, specialTokenIds } from './special-tokens.js';

export interface TokenizedText {
  ids: Int32Array;
  typeIds: Int32Array;
}

export interface TextTokenizer {
  readonly maxLength: number | undefined;
  /** Number of tokens in the vocabulary (added tokens included). */
  readonly vocabSize: number;
  /** The id batches are padded with (see padTokenId); undefined when the tokenizer names no pad token. */
  readonly padId: number | undefined;
  /** transformers' all_special_ids. */
  readonly specialIds: ReadonlySet<number>;
  encode(text: string): TokenizedText;
}

export interface TextTokenizerOptions {
  /** tokenizer.json, parsed. */
  json: object;
  /** tokenizer_config.json, parsed. */
  config?: object;
  /** Longest sequence, special tokens included; longer texts are truncated. */
  maxLength?: number;
  /** false: texts are never cut, encode returns every token, and the caller refuses what is too long (default true). */
  truncate?: boolean;
}

/** Python's "no limit" sentinel is int(1e30): anything that large states no limit. */
const NO_LIMIT = 1e9;

function statedLimit(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || (typeof value === 'number' && value >= NO_LIMIT)) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return fail('tokenize', `${field}: expected a positive integer (or Hugging Face's 1e30 for no limit), got ${JSON.stringify(value)}`);
}

/** The length the tokenizer files state: tokenizer.json's truncation, else tokenizer_config.json's model_max_length. */
export function configMaxLength(json: object, config: object | undefined): number | undefined {
  const fromJson = statedLimit((json as { truncation?: { max_length?: unknown } | null }).truncation?.max_length, 'tokenizer.json truncation.max_length');
  return fromJson ?? statedLimit((config as { model_max_length?: unknown } | undefined)?.model_max_length, 'tokenizer_config.json model_max_length');
}

/** The special tokens the post-processor puts before and after a single text. */
function specialFrame(withSpecial: number[], plain: number[]): [number, number] {
  const prefix = withSpecial.length - plain.length;
  for (let start = 0; start <= prefix; start++) {
    if (plain.every((id, i) => withSpecial[start + i] === id)) return [start, prefix - start];
  }
  return fail('tokenize', `the post-processor does not keep the text's tokens in one run: expected ${plain.length} contiguous ids, got ${withSpecial.length} ids that do not contain them`);
}

/**
 * WordLevel vocabularies load as the library's Legacy model, which gives an unknown word no id;
 * Python's WordLevel maps it to the model's unk_token, and fails when there is none.
 */
function withKnownIds(encoding: { ids: (number | undefined)[]; tokens: string[] }, unkId: number | undefined): number[] {
  return encoding.ids.map((id, i) => id ?? unkId ?? fail('tokenize', `"${encoding.tokens[i]}" is not in the vocabulary: expected the tokenizer's model to name an unk_token, got none`));
}

export function createTextTokenizer(options: TextTokenizerOptions): TextTokenizer {
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(options.json, options.config ?? {});
  } catch (cause) {
    return fail('tokenize', `cannot load tokenizer.json: ${(cause as Error).message}`, cause);
  }
  const maxLength = options.maxLength ?? configMaxLength(options.json, options.config);
  let vocabSize = 0; // a loop, not Math.max(...ids): XLM-R's 250,002 ids overflow the stack as arguments
  for (const id of tokenizer.get_vocab(true).values()) vocabSize = Math.max(vocabSize, id + 1);
  const unkToken = (options.json as { model?: { unk_token?: unknown } }).model?.unk_token;
  const unkId = typeof unkToken === 'string' ? tokenizer.token_to_id(unkToken) : undefined;
  return {
    maxLength,
    vocabSize,
    padId: padTokenId(tokenizer, options.json, options.config),
    specialIds: specialTokenIds(tokenizer, options.json, options.config),
    encode(text) {
      const encoding = tokenizer.encode(text, { add_special_tokens: true, return_token_type_ids: true });
      // Without a post-processor the library returns no token_type_ids: every token is then of type 0, as in Python.
      const full = { ids: withKnownIds(encoding, unkId), token_type_ids: encoding.token_type_ids ?? new Array<number>(encoding.ids.length).fill(0) };
      if (maxLength === undefined || options.truncate === false || full.ids.length <= maxLength) return { ids: Int32Array.from(full.ids), typeIds: Int32Array.from(full.token_type_ids) };
      const plain = withKnownIds(tokenizer.encode(text, { add_special_tokens: false }), unkId);
      const [before, after] = specialFrame(full.ids, plain);
      const keep = maxLength - before - after;
      if (keep < 0) fail('tokenize', `maxLength ${maxLength}: expected room for the ${before + after} special tokens`);
      const ids = [...full.ids.slice(0, before + keep), ...full.ids.slice(before + plain.length)];
      const typeIds = [...full.token_type_ids.slice(0, before + keep), ...full.token_type_ids.slice(before + plain.length)];
      return { ids: Int32Array.from(ids), typeIds: Int32Array.from(typeIds) };
    },
  };
}
