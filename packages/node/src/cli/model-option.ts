// --model as every command takes it: a path or a default model's name, resolved by the one rule of
// embed/default-models.ts (an existing path wins), with that rule said in each command's --help.
import { Option } from 'commander';
import { DEFAULT_MODELS, resolveModel, type DefaultModel } from '../embed/default-models.js';

/** Printed after the options of every command that takes a model. */
export const MODEL_RULE = `
Models: a model folder (model.onnx + tokenizer.json / twinembed.json), an .onnx file, or the
name of a default model: ${DEFAULT_MODELS.join(', ')} (shipped in @twinembed/models, no download).
A file or folder of that name in the working directory wins over a default: with ./text
present, "text" loads ./text.
`;

export interface ModelOptionSpec {
  /** What the model is for, e.g. 'embed the --input texts with this model'. */
  description: string;
  required?: boolean;
  /** The default model used when --model is not given. */
  fallback?: DefaultModel;
}

/** The --model option; add MODEL_RULE to the command's help beside it. */
export function modelOption(spec: ModelOptionSpec): Option {
  const option = new Option('--model <dir|name>', `${spec.description}: a folder, an .onnx file or ${DEFAULT_MODELS.join('|')}`);
  if (spec.fallback !== undefined) option.default(spec.fallback);
  if (spec.required) option.makeOptionMandatory();
  return option;
}

/** The command's options with --model (when given) turned into the path to load. */
export function resolveModelOption<T extends { model?: string }>(options: T): T {
  return options.model === undefined ? options : { ...options, model: resolveModel(options.model) };
}
