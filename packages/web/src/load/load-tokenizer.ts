// A tokenizer from tokenizer.json (and tokenizer_config.json) given as a URL, Response, File, bytes or parsed JSON.
//   const tokenizer = await loadTokenizer({ json: '/models/minilm/tokenizer.json', maxLength: 128 });
//   tokenizer.encode('a sentence').ids;
import { createTextTokenizer, type TextTokenizer } from '@twinembed/core';
import { readJson, type ByteSource, type FetchOptions } from './byte-source.js';

export interface LoadTokenizerOptions extends FetchOptions {
  /** tokenizer.json: a byte source, or the parsed object. */
  json: ByteSource | object;
  /** tokenizer_config.json, when there is one. */
  config?: ByteSource | object;
  /** Longest sequence, special tokens included (default: what the files say). */
  maxLength?: number;
}

export async function loadTokenizer(options: LoadTokenizerOptions): Promise<TextTokenizer> {
  const [json, config] = await Promise.all([readJson(options.json, options), options.config === undefined ? undefined : readJson(options.config, options)]);
  return createTextTokenizer({ json: json as object, config: config as object | undefined, maxLength: options.maxLength });
}
