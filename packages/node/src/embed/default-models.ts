// The default models shipped as files in @twinembed/models, and the one rule that turns what a
// caller names (loadEmbedder's argument, the CLI's --model) into a path: an existing file or
// folder wins, then a default model's name. Nothing is downloaded.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fail } from '@twinembed/core';

/** The names `loadEmbedder(name)` and `--model name` accept besides paths. */
export const DEFAULT_MODELS = ['text', 'text-sts', 'omniglot'] as const;
export type DefaultModel = (typeof DEFAULT_MODELS)[number];
/** What `loadEmbedder()` and `twinembed embed` load when no model is named. */
export const DEFAULT_MODEL: DefaultModel = 'text';

const PACKAGE = '@twinembed/models';

export function isDefaultModel(name: string): name is DefaultModel {
  return (DEFAULT_MODELS as readonly string[]).includes(name);
}

/** The installed @twinembed/models folder, found as Node resolves packages from this file. */
function packageRoot(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  } catch (cause) {
    return fail('model', `default models: expected the package ${PACKAGE} (a dependency of @twinembed/node) to be installed, got none (${(cause as Error).message})`, cause);
  }
}

export interface DefaultModelOptions {
  /** Where the default models' folders are; default: the installed @twinembed/models. */
  modelsDir?: string;
}

/** The folder of a default model; fails when the installed package lacks it. */
export function defaultModelDir(name: DefaultModel, options: DefaultModelOptions = {}): string {
  if (!isDefaultModel(name)) fail('model', `default model: expected one of ${DEFAULT_MODELS.join(', ')}, got "${name}"`);
  const dir = join(options.modelsDir ?? packageRoot(), name);
  if (!existsSync(join(dir, 'model.onnx'))) {
    fail('model', `default model "${name}": expected ${join(dir, 'model.onnx')}, got no such file (this copy of the default models does not include "${name}")`);
  }
  return dir;
}

/** A separator or an extension: meant as a path, so a missing one is reported by the file reader. */
const looksLikePath = (model: string) => /[\\/]/.test(model) || extname(model) !== '';

/**
 * A model path or a default model's name → the path to load. A file or folder that exists (relative
 * to the working directory) wins, so `./text` beside you is loaded before the default "text".
 */
export function resolveModel(model: string = DEFAULT_MODEL, options: DefaultModelOptions = {}): string {
  if (existsSync(model) || looksLikePath(model)) return model;
  if (isDefaultModel(model)) return defaultModelDir(model, options);
  return fail('model', `model "${model}": expected a model folder, an .onnx file or a default model name (${DEFAULT_MODELS.join(', ')}), got no such file or folder here`);
}
