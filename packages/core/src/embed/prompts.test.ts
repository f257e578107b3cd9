import { describe, expect, test } from 'vitest';
import { wordLevelTokenizer } from '../../../../test/support/word-level-tokenizer.js';
import { createTextTokenizer } from '../tokenize/text-tokenizer.js';
import { promptTokenCount, readPromptConfig, resolvePrompt } from './prompts.js';

const config = readPromptConfig({ prompts: { query: 'query: ', passage: 'passage: ', classification: 'classify: ' }, default_prompt_name: 'passage' });

describe('config_sentence_transformers.json prompts', () => {
  test('read as sentence-transformers ≥ 5 reads them: empty "query" and "document" unless the config gives them text', () => {
    expect(config).toEqual({ prompts: { query: 'query: ', document: '', passage: 'passage: ', classification: 'classify: ' }, defaultPromptName: 'passage' });
    expect(readPromptConfig(undefined)).toEqual({ prompts: { query: '', document: '' } });
    expect(readPromptConfig({ prompts: {}, default_prompt_name: null, similarity_fn_name: 'cosine' })).toEqual({ prompts: { query: '', document: '' } });
  });

  test('a default_prompt_name that names no prompt, or a prompt that is not text, is an error (as in Python, at load)', () => {
    expect(() => readPromptConfig({ prompts: { query: 'q: ' }, default_prompt_name: 'search' }, 'models/e5'))
      .toThrow('[twinembed:embed] config_sentence_transformers.json default_prompt_name: expected one of the prompts (query, document), got "search" (models/e5)');
    expect(() => readPromptConfig({ prompts: { query: 7 } })).toThrow('[twinembed:embed] config_sentence_transformers.json prompts.query: expected a string, got number');
    expect(() => readPromptConfig({ prompts: ['q: '] })).toThrow('[twinembed:embed] config_sentence_transformers.json prompts: expected an object of name → text, got an array');
  });

  test('a call\'s prompt: as given, else by name, else the default; \'\' opts out of the default', () => {
    expect(resolvePrompt(config, {})).toBe('passage: ');
    expect(resolvePrompt(config, { promptName: 'query' })).toBe('query: ');
    expect(resolvePrompt(config, { promptName: 'document' })).toBe('');
    expect(resolvePrompt(config, { prompt: 'Represent this: ' })).toBe('Represent this: ');
    expect(resolvePrompt(config, { prompt: '' })).toBe('');
    expect(resolvePrompt(readPromptConfig(undefined), {})).toBe('');
  });

  test('an unknown name lists the known ones; prompt and promptName together is an error', () => {
    expect(() => resolvePrompt(config, { promptName: 'search' }))
      .toThrow('[twinembed:embed] promptName: expected one of the model\'s prompts (query, document, passage, classification), got "search"');
    expect(() => resolvePrompt(config, { promptName: 'constructor' })).toThrow(/got "constructor"$/);
    expect(() => resolvePrompt(config, { prompt: 'q: ', promptName: 'query' }))
      .toThrow('[twinembed:embed] prompt and promptName: expected at most one of them, got both (prompt "q: ", promptName "query")');
  });
});

describe('prompt length, as sentence-transformers counts it for include_prompt: false', () => {
  const tokenizer = createTextTokenizer({ json: wordLevelTokenizer().json });

  test('<s> and the prompt\'s words, not the closing </s>', () => {
    expect(Array.from(tokenizer.encode('the cat').ids)).toEqual([0, 4, 5, 2]);
    expect(promptTokenCount(tokenizer, 'the cat')).toBe(3);
  });

  test('a post-processor with no closing special token: every token counts', () => {
    const json = wordLevelTokenizer().json as Record<string, unknown>;
    const open = createTextTokenizer({ json: { ...json, post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [], special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] } } } } });
    expect(Array.from(open.encode('the cat').ids)).toEqual([0, 4, 5]);
    expect(promptTokenCount(open, 'the cat')).toBe(3);
  });
});
