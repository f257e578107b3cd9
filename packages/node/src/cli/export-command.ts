// `twinembed export`: the encoder with pooling and normalization fused in, as one standalone
// ONNX file that takes token ids (or pixels) and returns finished embeddings.
import { type Command, Option } from 'commander';
import { encodeModel, POOLINGS, prepareModel, type Pooling } from '@twinembed/core';
import { loadModelDirectory } from '../embed/model-directory.js';
import { modelInputs } from '../model-inputs.js';
import { checkOutput, writeOutputFile } from '../output-path.js';
import type { CliIo } from './main.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import { FILE_OUTPUT_RULE } from './output-options.js';

interface ExportOptions {
  model: string;
  out: string;
  pooling?: Pooling;
  normalize?: boolean;
  outputName?: string;
}

export function registerExport(program: Command, io: CliIo): void {
  program
    .command('export')
    .description('write the model with pooling and normalization fused in: one ONNX file, ids (or pixels) in, embeddings out')
    .addOption(modelOption({ description: 'the model', required: true }))
    .requiredOption('--out <file>', 'the .onnx file to write')
    .addOption(new Option('--pooling <mode>', 'pooling of token embeddings').choices(POOLINGS))
    .option('--normalize', 'L2-normalize the embeddings')
    .option('--no-normalize', 'do not normalize')
    .option('--output-name <tensor>', 'embed from this tensor (a graph output or an intermediate tensor)')
    .addHelpText('after', FILE_OUTPUT_RULE + MODEL_RULE)
    .action(async (given: ExportOptions) => {
      const options = resolveModelOption(given);
      const target = await checkOutput({ out: options.out, kind: 'file', what: 'the model', inputs: { '--model': await modelInputs(options.model) } });
      const { spec, fused } = prepareModel(await loadModelDirectory(options.model), {
        pooling: options.pooling, normalize: options.normalize, output: options.outputName,
      });
      await writeOutputFile(target, encodeModel(fused.model), 'model');
      const inputs = (fused.model.graph?.input ?? []).map((i) => i.name).join(', ');
      io.out(`${options.out}: ${spec.pooling} pooling${spec.normalize ? ' + normalize' : ''} of "${spec.output}"; inputs ${inputs}; output ${fused.output}\n`);
    });
}
