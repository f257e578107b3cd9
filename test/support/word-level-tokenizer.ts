// A RoBERTa-shaped tokenizer.json small enough to write in a test: a WordLevel vocabulary with
// <s> = 0, <pad> = 1, </s> = 2, <unk> = 3, whitespace-split words, and <s> … </s> around each text.

export const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran'] as const;

export interface WordLevelOptions {
  /** The pad token's name (default '<pad>'); another name hides it from the conventional-name lookup. */
  padToken?: string;
  /** Write tokenizer.json's `padding` section with the pad id (as `tokenizer.save` does after enable_padding). */
  padding?: boolean;
}

export function wordLevelTokenizer(options: WordLevelOptions = {}): { json: object; vocabSize: number } {
  const specials = ['<s>', options.padToken ?? '<pad>', '</s>', '<unk>'];
  const vocab = Object.fromEntries([...specials, ...WORDS].map((t, i) => [t, i]));
  const json = {
    version: '1.0',
    truncation: null,
    padding: options.padding ? { strategy: 'BatchLongest', direction: 'Right', pad_to_multiple_of: null, pad_id: 1, pad_type_id: 0, pad_token: specials[1] } : null,
    added_tokens: specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  };
  return { json, vocabSize: specials.length + WORDS.length };
}
