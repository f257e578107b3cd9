// sentence-transformers' prompts (config_sentence_transformers.json): a named prefix put before each
// text, chosen per call as SentenceTransformer.encode chooses it, and its length in tokens for
// Pooling's include_prompt: false.
import { fail } from '../errors.js';
import type { TextTokenizer } from '../tokenize/text-tokenizer.js';

const FILE = 'config_sentence_transformers.json';

export interface PromptConfig {
  /** Prompt name → the text put before each input. */
  prompts: Readonly<Record<string, string>>;
  /** The prompt used when a call names none. */
  defaultPromptName?: string;
}

export interface PromptChoice {
  /** The prefix itself (sentence-transformers' `prompt`); '' embeds without a prompt, even over a default. */
  prompt?: string;
  /** A prompt of the model by name (sentence-transformers' `prompt_name`). */
  promptName?: string;
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `"${v}"` : typeof v);

/**
 * The prompts a model has. As in sentence-transformers ≥ 5, "query" and "document" exist as empty
 * prompts unless the config gives them text; a default_prompt_name that names no prompt is an error.
 */
export function readPromptConfig(config: unknown, source?: string): PromptConfig {
  const where = source ? ` (${source})` : '';
  const prompts: Record<string, string> = { query: '', document: '' };
  if (config === undefined) return { prompts };
  if (typeof config !== 'object' || config === null || Array.isArray(config)) fail('embed', `${FILE}: expected a JSON object, got ${describe(config)}${where}`);
  const raw = (config as { prompts?: unknown }).prompts ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('embed', `${FILE} prompts: expected an object of name → text, got ${describe(raw)}${where}`);
  for (const [name, text] of Object.entries(raw as object)) {
    if (typeof text !== 'string') fail('embed', `${FILE} prompts.${name}: expected a string, got ${describe(text)}${where}`);
    if (text !== '' || !Object.hasOwn(prompts, name)) prompts[name] = text;
  }
  const defaultPromptName = (config as { default_prompt_name?: unknown }).default_prompt_name ?? undefined;
  if (defaultPromptName === undefined) return { prompts };
  if (typeof defaultPromptName !== 'string' || !Object.hasOwn(prompts, defaultPromptName)) {
    fail('embed', `${FILE} default_prompt_name: expected one of the prompts (${Object.keys(prompts).join(', ')}), got ${describe(defaultPromptName)}${where}`);
  }
  return { prompts, defaultPromptName };
}

/** The prefix for one call: `prompt` as given, else the named prompt, else the default one, else ''. */
export function resolvePrompt(config: PromptConfig, choice: PromptChoice): string {
  const { prompt, promptName } = choice;
  if (prompt !== undefined && promptName !== undefined) fail('embed', `prompt and promptName: expected at most one of them, got both (prompt ${describe(prompt)}, promptName ${describe(promptName)})`);
  if (prompt !== undefined) return typeof prompt === 'string' ? prompt : fail('embed', `prompt: expected a string, got ${describe(prompt)}`);
  if (promptName !== undefined) {
    if (typeof promptName === 'string' && Object.hasOwn(config.prompts, promptName)) return config.prompts[promptName]!;
    return fail('embed', `promptName: expected one of the model's prompts (${Object.keys(config.prompts).join(', ')}), got ${describe(promptName)}`);
  }
  return config.defaultPromptName === undefined ? '' : config.prompts[config.defaultPromptName]!;
}

/**
 * sentence-transformers' prompt_length: the prompt tokenized alone (special tokens and truncation
 * included), less a closing special token. Pooling drops that many leading tokens, [CLS] among them.
 */
export function promptTokenCount(tokenizer: TextTokenizer, prompt: string): number {
  const ids = tokenizer.encode(prompt).ids;
  return ids.length > 0 && tokenizer.specialIds.has(ids[ids.length - 1]!) ? ids.length - 1 : ids.length;
}
