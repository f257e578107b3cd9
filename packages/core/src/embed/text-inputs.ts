// Text inputs → token rows: strings through the tokenizer with the call's prompt put before them
// (as sentence-transformers does, before tokenization), pre-tokenized ids checked and used as given.
import { fail } from '../errors.js';
import type { TextTokenizer, TokenizedText } from '../tokenize/text-tokenizer.js';
import type { EmbedInput } from './create-embedder.js';

export function tokenizeInputs(inputs: readonly EmbedInput[], tokenizer: TextTokenizer | undefined, vocabRows: number | undefined, prompt: string): TokenizedText[] {
  return inputs.map((input, i) => {
    if (typeof input === 'string') {
      if (!tokenizer) fail('embed', `input ${i} is text, but this model directory has no tokenizer.json: pass token ids ({ ids: [...] }) or add the tokenizer`);
      return tokenizer.encode(prompt + input);
    }
    if (!('ids' in input)) fail('embed', `input ${i}: expected text (a string or { ids }) for this text model, got an image`);
    if (prompt !== '') fail('embed', `input ${i} is token ids, which are embedded as given, but the prompt ${JSON.stringify(prompt)} applies: pass prompt: '' (or put the prompt's ids in the input)`);
    const ids = Int32Array.from(input.ids);
    if (ids.length === 0) fail('embed', `input ${i}: expected at least one token id, got none`);
    const bad = ids.find((id) => id < 0 || (vocabRows !== undefined && id >= vocabRows));
    if (bad !== undefined) fail('embed', `input ${i}: token id ${bad} is outside the model's vocabulary [0, ${vocabRows ?? '∞'})`);
    return { ids, typeIds: input.typeIds ? Int32Array.from(input.typeIds) : new Int32Array(ids.length) };
  });
}
