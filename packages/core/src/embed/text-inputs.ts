// Text inputs → token rows: strings through the tokenizer with the call's prompt put before them
// (as sentence-transformers does, before tokenization), pre-tokenized ids checked and used as given.
import { fail } from '../errors.js';
import type { TextTokenizer, TokenizedText } from '../tokenize/text-tokenizer.js';
import type { EmbedInput } from './create-embedder.js';

export interface TextLimits {
  /** Rows of the token-embedding table: every id must be below it. */
  vocabRows?: number;
  /** Tokens kept per text; the tokenizer cuts longer texts unless `truncate` is false. */
  maxLength?: number;
  /** The most tokens the graph takes (its position table): pre-tokenized ids are never cut, so longer ones are refused. */
  modelTokens?: number;
  truncate: boolean;
}

/** The input as a message names it: its index and its first characters. */
function describeText(i: number, text: string): string {
  const head = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `input ${i} (${JSON.stringify(head)})`;
}

function tokenizeText(i: number, text: string, tokenizer: TextTokenizer | undefined, limits: TextLimits, prompt: string): TokenizedText {
  if (!tokenizer) fail('embed', `input ${i} is text, but this model directory has no tokenizer.json: pass token ids ({ ids: [...] }) or add the tokenizer`);
  const row = tokenizer.encode(prompt + text);
  if (!limits.truncate && limits.maxLength !== undefined && row.ids.length > limits.maxLength) {
    const withPrompt = prompt === '' ? '' : ', the prompt included';
    fail('embed', `${describeText(i, text)}: expected at most ${limits.maxLength} tokens (truncation is off: truncate: false, --no-truncate), got ${row.ids.length}${withPrompt}`);
  }
  return row;
}

export function tokenizeInputs(inputs: readonly EmbedInput[], tokenizer: TextTokenizer | undefined, limits: TextLimits, prompt: string): TokenizedText[] {
  const { vocabRows, modelTokens } = limits;
  return inputs.map((input, i) => {
    if (typeof input === 'string') return tokenizeText(i, input, tokenizer, limits, prompt);
    if (!('ids' in input)) fail('embed', `input ${i}: expected text (a string or { ids }) for this text model, got an image`);
    if (prompt !== '') fail('embed', `input ${i} is token ids, which are embedded as given, but the prompt ${JSON.stringify(prompt)} applies: pass prompt: '' (or put the prompt's ids in the input)`);
    const ids = Int32Array.from(input.ids);
    if (ids.length === 0) fail('embed', `input ${i}: expected at least one token id, got none`);
    if (modelTokens !== undefined && ids.length > modelTokens) fail('embed', `input ${i}: expected at most ${modelTokens} token ids, the longest sequence the model takes, got ${ids.length} (ids are embedded as given, never truncated)`);
    const bad = ids.find((id) => id < 0 || (vocabRows !== undefined && id >= vocabRows));
    if (bad !== undefined) fail('embed', `input ${i}: token id ${bad} is outside the model's vocabulary [0, ${vocabRows ?? '∞'})`);
    return { ids, typeIds: input.typeIds ? Int32Array.from(input.typeIds) : new Int32Array(ids.length) };
  });
}
