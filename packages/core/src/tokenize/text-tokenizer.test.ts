import { describe, expect, test } from 'vitest';
import { wordLevelTokenizer } from '../../../../test/support/word-level-tokenizer.js';
import { createTextTokenizer } from './text-tokenizer.js';

describe('the tokenizer\'s pad id', () => {
  test('a token named <pad> (RoBERTa\'s id 1) when no config names one', () => {
    expect(createTextTokenizer({ json: wordLevelTokenizer().json }).padId).toBe(1);
  });

  test('tokenizer.json padding.pad_id, when the pad token has an unconventional name', () => {
    expect(createTextTokenizer({ json: wordLevelTokenizer({ padToken: '<blank>', padding: true }).json }).padId).toBe(1);
    expect(createTextTokenizer({ json: wordLevelTokenizer({ padToken: '<blank>' }).json }).padId).toBeUndefined();
  });

  test('tokenizer_config.json pad_token wins over padding.pad_id, as in transformers (string or AddedToken form)', () => {
    const { json } = wordLevelTokenizer({ padding: true });
    expect(createTextTokenizer({ json, config: { pad_token: '</s>' } }).padId).toBe(2);
    expect(createTextTokenizer({ json, config: { pad_token: { __type: 'AddedToken', content: '<unk>' } } }).padId).toBe(3);
    expect(() => createTextTokenizer({ json, config: { pad_token: '[PAD]' } }))
      .toThrow('[twinembed:tokenize] tokenizer_config.json pad_token: expected a token of the vocabulary, got "[PAD]", which it does not have');
  });
});

describe('a WordLevel tokenizer', () => {
  test('RoBERTa framing; an unknown word gets unk_token\'s id, as in Python', () => {
    const tokenizer = createTextTokenizer({ json: wordLevelTokenizer().json });
    expect(Array.from(tokenizer.encode('the cat sat').ids)).toEqual([0, 4, 5, 6, 2]);
    expect(Array.from(tokenizer.encode('the zebra').ids)).toEqual([0, 4, 3, 2]);
    expect([...tokenizer.specialIds].sort()).toEqual([0, 1, 2, 3]);
  });

  test('an unknown word with no unk_token is an error, not id 0', () => {
    const json = wordLevelTokenizer().json as { model: { unk_token?: string } };
    delete json.model.unk_token;
    expect(() => createTextTokenizer({ json }).encode('the zebra'))
      .toThrow('[twinembed:tokenize] "zebra" is not in the vocabulary: expected the tokenizer\'s model to name an unk_token, got none');
  });

  test('truncation keeps </s>', () => {
    expect(Array.from(createTextTokenizer({ json: wordLevelTokenizer().json, maxLength: 4 }).encode('the cat sat on a mat').ids)).toEqual([0, 4, 5, 2]);
  });
});
