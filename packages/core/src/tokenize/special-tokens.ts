// The tokenizer's special tokens as transformers sees them: the pad id a batch is padded with, and
// the ids sentence-transformers treats as special when it measures a prompt.
import { fail } from '../errors.js';

/** What is needed to look tokens up (the @huggingface/tokenizers Tokenizer has it). */
export interface TokenLookup {
  token_to_id(token: string): number | undefined;
}

const SPECIAL_TOKEN_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;
/** Names of pad tokens in vocabularies whose configs do not name one. */
const CONVENTIONAL_PAD_TOKENS = ['[PAD]', '<pad>'];

/** A token in tokenizer_config.json: a string, or a serialized AddedToken `{ "content": … }`. */
function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const content = (value as { content?: unknown } | null | undefined)?.content;
  return typeof content === 'string' ? content : undefined;
}

/**
 * The pad id, found as transformers finds it: tokenizer_config.json's `pad_token` first (it wins
 * over tokenizer.json's `padding`, as in PreTrainedTokenizerFast), then tokenizer.json's
 * `padding.pad_id`, then a token named [PAD] or <pad>. Undefined when the tokenizer has none.
 */
export function padTokenId(lookup: TokenLookup, json: object, config: object | undefined): number | undefined {
  const configured = tokenText((config as { pad_token?: unknown } | undefined)?.pad_token);
  if (configured !== undefined) {
    return lookup.token_to_id(configured) ?? fail('tokenize', `tokenizer_config.json pad_token: expected a token of the vocabulary, got "${configured}", which it does not have`);
  }
  const padding = (json as { padding?: { pad_id?: unknown } | null }).padding;
  if (typeof padding?.pad_id === 'number') return padding.pad_id;
  return CONVENTIONAL_PAD_TOKENS.map((t) => lookup.token_to_id(t)).find((id) => id !== undefined);
}

/** transformers' all_special_ids: the configured special tokens, plus tokenizer.json's added tokens marked special. */
export function specialTokenIds(lookup: TokenLookup, json: object, config: object | undefined): Set<number> {
  const ids = new Set<number>();
  for (const token of (json as { added_tokens?: { id?: unknown; special?: unknown }[] }).added_tokens ?? []) {
    if (token.special === true && typeof token.id === 'number') ids.add(token.id);
  }
  const named = config as Record<string, unknown> | undefined;
  const additional = Array.isArray(named?.additional_special_tokens) ? named.additional_special_tokens : [];
  for (const value of [...SPECIAL_TOKEN_KEYS.map((k) => named?.[k]), ...additional]) {
    const text = tokenText(value);
    const id = text === undefined ? undefined : lookup.token_to_id(text);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}
