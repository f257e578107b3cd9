// `twinembed info <model.onnx|model-dir>`: a model's inputs, outputs, opset, ops and parameter count.
import type { Command } from 'commander';
import { modelInfo, type ModelInfo, type ValueSignature } from '@twinembed/core';
import { DEFAULT_MODELS, resolveModel } from '../embed/default-models.js';
import { readModelStructure } from '../model-file.js';
import type { CliIo } from './main.js';
import { MODEL_RULE } from './model-option.js';

export function registerInfo(program: Command, io: CliIo): void {
  program
    .command('info')
    .description("print a model's inputs, outputs, opset, op counts and parameter count")
    .argument('<model>', `an .onnx file, a model directory holding model.onnx, or ${DEFAULT_MODELS.join('|')}`)
    .option('--json', 'print one JSON object instead of text')
    .addHelpText('after', MODEL_RULE)
    .action(async (model: string, options: { json?: boolean }) => {
      const info = modelInfo(await readModelStructure(resolveModel(model)));
      io.out(options.json ? `${JSON.stringify(info)}\n` : formatInfo(model, info));
    });
}

function signatureLine(v: ValueSignature): string {
  const shape = v.shape ? `[${v.shape.map((d) => d ?? '?').join(', ')}]` : '(rank unknown)';
  return `  ${v.name}  ${v.type} ${shape}`;
}

export function formatInfo(path: string, info: ModelInfo): string {
  const ops = Object.entries(info.ops).map(([op, n]) => `${op} ×${n}`).join(', ');
  return [
    `${path}: opset ${info.opset}, ${info.parameters.toLocaleString('en-US')} parameters`,
    'inputs:', ...info.inputs.map(signatureLine),
    'outputs:', ...info.outputs.map(signatureLine),
    `ops (${Object.values(info.ops).reduce((a, b) => a + b, 0)} nodes): ${ops}`,
    '',
  ].join('\n');
}
