// `twinembed embed`: texts, a text/JSONL file or images → embeddings as JSON, JSONL, .npy or raw float32.
import { type Command, Option } from 'commander';
import { fail, POOLINGS, type EmbedInput, type Pooling } from '@twinembed/core';
import { loadEmbedder } from '../embed/load-embedder.js';
import { readEmbedInputs, type InputSource } from '../embed/embed-inputs.js';
import { formatEmbeddings, FORMATS, type Format } from '../embed/embed-output.js';
import { modelInputs } from '../model-inputs.js';
import { checkOutput, writeOutputFile, type OutputTarget } from '../output-path.js';
import type { CliIo } from './main.js';
import { createProgress, progressEnabled } from './progress.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import { FILE_OUTPUT_RULE } from './output-options.js';

interface EmbedOptions {
  model: string;
  text?: string[];
  input?: string;
  images?: string[];
  pooling?: Pooling;
  normalize?: boolean;
  maxLength?: number;
  truncate: boolean;
  outputName?: string;
  prompt?: string;
  promptName?: string;
  format?: Format;
  json?: boolean;
  out?: string;
  batchSize?: number;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) fail('cli', `${name}: expected a positive integer, got "${value}"`);
    return n;
  };
}

function inputSource(options: EmbedOptions): InputSource {
  const given = [options.text && 'text', options.input && 'input', options.images && 'images'].filter(Boolean);
  if (given.length !== 1) fail('cli', `embed: expected exactly one of --text, --input, --images, got ${given.length === 0 ? 'none' : given.map((g) => `--${g}`).join(' and ')}`);
  if (options.text) return { kind: 'text', texts: options.text };
  if (options.input) return { kind: 'file', path: options.input };
  return { kind: 'images', paths: options.images! };
}

export function registerEmbed(program: Command, io: CliIo): void {
  program
    .command('embed')
    .description('embed texts or images with a model directory (model.onnx + tokenizer.json / twinembed.json) or a default model')
    .addOption(modelOption({ description: 'the model', fallback: 'text' }))
    .option('--text <texts...>', 'texts to embed')
    .option('--input <file>', 'a text file (one input per line) or JSONL ({"text": …} per line)')
    .option('--images <paths...>', 'PNG/JPEG files, or directories of them')
    .addOption(new Option('--pooling <mode>', 'pooling of token embeddings').choices(POOLINGS))
    .option('--normalize', 'L2-normalize the embeddings')
    .option('--no-normalize', 'do not normalize')
    .option('--max-length <n>', 'truncate texts to n tokens (special tokens included)', positiveInt('--max-length'))
    .option('--no-truncate', 'refuse a text longer than the model takes (naming it) instead of truncating it')
    .option('--output-name <tensor>', 'embed from this tensor (a graph output or an intermediate tensor)')
    .option('--prompt-name <name>', 'put this prompt of config_sentence_transformers.json before each text (default: its default_prompt_name)')
    .option('--prompt <text>', 'put this text before each text ("" for none, even over a default prompt)')
    .addOption(new Option('--format <format>', 'output format (default json)').choices(FORMATS))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write to this file instead of stdout (npy and f32 need it)')
    .option('--batch-size <n>', 'inputs per session run', positiveInt('--batch-size'), 32)
    .addHelpText('after', FILE_OUTPUT_RULE + MODEL_RULE)
    .action(async (given: EmbedOptions) => {
      const options = resolveModelOption(given);
      const source = inputSource(options);
      if (options.prompt !== undefined && options.promptName !== undefined) fail('cli', 'embed: expected at most one of --prompt, --prompt-name, got both');
      const format: Format = options.json ? 'json' : options.format ?? (options.out?.endsWith('.npy') ? 'npy' : 'json');
      if ((format === 'npy' || format === 'f32') && !options.out) fail('cli', `--format ${format} is binary: expected --out FILE`);
      const inputs = { '--model': await modelInputs(options.model), '--input': options.input, '--images': options.images };
      const target: OutputTarget | undefined = options.out === undefined ? undefined : await checkOutput({ out: options.out, kind: 'file', what: 'the embeddings', inputs });
      const embedder = await loadEmbedder(options.model, {
        pooling: options.pooling, normalize: options.normalize, maxLength: options.maxLength, truncate: options.truncate, outputName: options.outputName, batchSize: options.batchSize,
      });
      try {
        const inputs: EmbedInput[] = await readEmbedInputs(source);
        // A bar only on a terminal and only when the wait is long enough to need one.
        const progress = createProgress(io, 'embedding', inputs.length, progressEnabled(false) && inputs.length >= 256);
        const matrix = await embedder.embedMatrix(inputs, { prompt: options.prompt, promptName: options.promptName, onProgress: (done) => progress.update(done) });
        progress.done();
        const bytes = formatEmbeddings(format, matrix, inputs.length, embedder.dim);
        if (target) await writeOutputFile(target, bytes, 'the embeddings');
        else io.out(new TextDecoder().decode(bytes));
      } finally {
        await embedder.dispose();
      }
    });
}
