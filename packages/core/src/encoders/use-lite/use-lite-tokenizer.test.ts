// The converted tokenizer run by @huggingface/tokenizers on a hand-made vocabulary, each expected
// segmentation worked out from the scores by hand: the package's normalization (NFKC, ▁ for spaces
// and before non-empty text only), reserved pieces never matched, unknown runs fused into id 0.
import { describe, expect, it } from 'vitest';
import { createTextTokenizer } from '../../tokenize/text-tokenizer.js';
import { useLiteTokenizer } from './use-lite-tokenizer.js';

const VOCAB = [
  ['�', 0], ['<s>', 0], ['</s>', 0], ['extra_token_id_1', 0], ['extra_token_id_2', 0], ['extra_token_id_3', 0],
  ['▁', -2], ['a', -3], ['b', -3], ['▁ab', -4], ['▁a', -2.5], [':', null], ['fi', -1], ['s', -3], ['<', -3], ['>', -3],
];

describe('useLiteTokenizer', () => {
  const { json, config } = useLiteTokenizer(VOCAB);
  const tokenizer = createTextTokenizer({ json, config });
  const ids = (text: string) => Array.from(tokenizer.encode(text).ids);

  it('segments by unigram score after the package\'s normalization', () => {
    expect(ids('')).toEqual([]); // no ▁ before an empty text
    expect(ids('ab')).toEqual([9]); // ▁ab −4 beats ▁a + b −5.5 and ▁ + a + b −8
    expect(ids('a b')).toEqual([10, 6, 8]); // ▁a ▁ b: spaces become ▁, not word boundaries
    expect(ids('ﬁ')).toEqual([6, 12]); // NFKC: the ligature is f + i
    expect(ids(':')).toEqual([6, 11]); // a null score is read as 0
  });

  it('never matches the reserved pieces and fuses runs of unknown characters into id 0', () => {
    expect(ids('<s>')).toEqual([6, 14, 13, 15]); // ▁ < s > (−11), not ▁ + the reserved <s> (−10002)
    expect(ids('a😀😀')).toEqual([10, 0]);
  });

  it('states the 128-token limit and refuses a malformed vocabulary', () => {
    expect(tokenizer.maxLength).toBe(128);
    expect(() => useLiteTokenizer([...VOCAB, ['x']])).toThrow(/entry 16: expected \[piece, score\], got \["x"\]/);
  });
});
