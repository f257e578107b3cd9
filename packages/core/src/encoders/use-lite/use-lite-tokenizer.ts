// USE lite's SentencePiece vocabulary (vocab.json: [piece, score] × 8,000) → a Hugging Face
// tokenizer.json that reproduces @energetic-ai/embeddings' tokenizer: NFKC, spaces → ▁, one ▁ in
// front of a non-empty text, Viterbi over unigram scores, runs of unknown characters fused into one
// <unk> (id 0), no special tokens added, 128 tokens kept (the model drops the rest).
import { fail } from '../../errors.js';
import { USE_LITE_MAX_LENGTH } from './use-lite-encoder.js';

/** Ids 0–5 ('�' as unk, <s>, </s>, extra_token_id_1…3) are reserved: the package never matches them in text. */
export const USE_LITE_RESERVED = 6;
/**
 * Reserved pieces get this score so Viterbi never picks one over the characters that spell it
 * (the package leaves them out of its trie, which a tokenizer.json cannot say); far below any real
 * piece (≥ −15), near enough that sums keep full precision. The unk score becomes this − 10, so a
 * reserved piece would still beat a run of unknown characters spelling it: USE's vocabulary has a
 * piece for every character of the reserved names, so that cannot happen with it.
 */
const RESERVED_SCORE = -1e4;

export interface UseLiteTokenizerFiles {
  json: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** A few pieces (':', '▁:)', …) have a null score in vocab.json; the package adds them as 0 (null + x = x). */
function scoreOf(entry: unknown, i: number): number {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string' || (entry[1] !== null && typeof entry[1] !== 'number')) {
    fail('tokenize', `USE lite vocab.json entry ${i}: expected [piece, score], got ${JSON.stringify(entry)}`);
  }
  return i < USE_LITE_RESERVED ? RESERVED_SCORE : (entry[1] ?? 0);
}

export function useLiteTokenizer(vocab: unknown): UseLiteTokenizerFiles {
  if (!Array.isArray(vocab) || vocab.length <= USE_LITE_RESERVED) fail('tokenize', `USE lite vocab.json: expected an array of more than ${USE_LITE_RESERVED} [piece, score] entries, got ${Array.isArray(vocab) ? vocab.length : typeof vocab}`);
  const pieces = vocab.map((entry, i) => [(entry as [string])[0], scoreOf(entry, i)] as [string, number]);
  const json = {
    version: '1.0',
    truncation: { direction: 'Right', max_length: USE_LITE_MAX_LENGTH, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: [],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
        // The package prepends ▁ only when the normalized text is not empty: an empty match at the start of a non-empty string.
        { type: 'Replace', pattern: { Regex: '\\A(?=[\\s\\S])' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: false },
  };
  const config = { tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: USE_LITE_MAX_LENGTH, unk_token: vocab[0][0], clean_up_tokenization_spaces: false };
  return { json, config };
}
