// A model directory on disk → ModelFiles: model.onnx (external data inlined), and whichever of
// tokenizer.json, tokenizer_config.json, twinembed.json and sentence-transformers' configs exist
// (modules.json, the Pooling config, sentence_bert_config.json, config_sentence_transformers.json).
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fail, parseManifest, type ModelFiles } from '@twinembed/core';
import { readModelBytes, resolveModelPath } from '../model-file.js';
import { FILE_LIMITS, readOptionalText } from '../read-regular-file.js';

async function readJson(dir: string, ...names: string[]): Promise<unknown> {
  for (const name of names) {
    const path = join(dir, name);
    const text = await readOptionalText(path, { maxBytes: FILE_LIMITS.json });
    if (text === undefined) continue;
    try {
      return JSON.parse(text);
    } catch (cause) {
      return fail('io', `"${path}": expected JSON, got text that does not parse (${(cause as Error).message})`, cause);
    }
  }
  return undefined;
}

/** A path named by twinembed.json: relative, and inside the model directory. */
function inside(dir: string, path: string, field: string): string {
  const full = resolve(dir, path);
  const rel = relative(resolve(dir), full);
  if (isAbsolute(path) || rel.startsWith('..')) fail('manifest', `twinembed.json ${field}: expected a path inside "${dir}", got "${path}"`);
  return full;
}

/** Reads a model directory (or a bare .onnx file, which then has no tokenizer or manifest). */
export async function loadModelDirectory(path: string): Promise<ModelFiles> {
  const isDir = (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
  const rawManifest = isDir ? await readJson(path, 'twinembed.json') : undefined;
  const manifest = rawManifest === undefined ? undefined : parseManifest(rawManifest, join(path, 'twinembed.json'));
  const onnx = await readModelBytes(await resolveModelPath(manifest?.model ? inside(path, manifest.model, 'model') : path));
  if (!isDir) return { onnx, source: path };
  const tokenizerDir = manifest?.tokenizer ? inside(path, manifest.tokenizer, 'tokenizer') : path;
  const [tokenizer, tokenizerConfig, modules, pooling, sentenceBert, config] = await Promise.all([
    readJson(tokenizerDir, 'tokenizer.json'), readJson(tokenizerDir, 'tokenizer_config.json'),
    readJson(path, 'modules.json'), readJson(path, join('1_Pooling', 'config.json'), '1_Pooling_config.json'), readJson(path, 'sentence_bert_config.json'),
    readJson(path, 'config_sentence_transformers.json'),
  ]);
  return {
    onnx,
    source: path,
    tokenizer: tokenizer ? { json: tokenizer as object, config: tokenizerConfig as object | undefined } : undefined,
    manifest,
    sentenceTransformers: modules || pooling || sentenceBert || config ? { modules, pooling, sentenceBert, config } : undefined,
  };
}
