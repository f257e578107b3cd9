// The models twinembed writes, checked by the ONNX project's own checker (Python `onnx`, Debian's
// python3-onnx) with full_check: strict type and shape inference over every node. onnxruntime accepts
// more than the spec does (a graph output without a shape, for one), so passing our own runtime tests
// does not prove a file is valid ONNX for other tools. Checked: the shipped model, a built encoder, fine-tuned exports of
// imported encoders (with and without pooling), and the train steps and loss models themselves, which
// are the "ordinary ONNX graphs" the project promises. python3-onnx 1.12 reads IR ≤ 8 and opset ≤ 17,
// so the dynamo export (IR 10, opset 18) is not among them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  buildLossModel, buildTrainStep, conv4Encoder, createAdamW, createTrainer, encodeModel, exportEncoder, nodeRuntime, readSafetensors, takeRows,
} from '@twinembed/node';
import { hasShared, REPO_ROOT, sharedPath } from './support/paths.js';

const PYTHON = '/usr/bin/python3';
const CHECK = [
  'import sys, onnx',
  'for path in sys.argv[1:]:',
  '    name = path.rsplit("/", 1)[-1]',
  '    try:',
  '        onnx.checker.check_model(onnx.load(path), full_check=True)',
  '        print("valid", name)',
  '    except Exception as error:',
  '        print("invalid", name, str(error).splitlines()[0])',
].join('\n');

function hasOnnxChecker(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasShared && hasOnnxChecker();
if (!available) console.log(`onnx-checker: skipped (needs ${PYTHON} with the onnx module, from Debian's python3-onnx, and ../shared/fixtures)`);

const dir = mkdtempSync(join(tmpdir(), 'twinembed-onnx-checker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (...parts: string[]) => readFileSync(sharedPath('fixtures', ...parts));

/** Writes each model and runs the checker once over all of them; returns what it printed. */
function check(models: Record<string, Uint8Array>): string {
  const paths = Object.entries(models).map(([name, bytes]) => {
    const path = join(dir, `${name}.onnx`);
    writeFileSync(path, bytes);
    return path;
  });
  return execFileSync(PYTHON, ['-c', CHECK, ...paths], { encoding: 'utf8' });
}

describe.skipIf(!available)('the ONNX checker (full_check) accepts what twinembed writes', () => {
  test('the shipped models/omniglot, conv4 as built, koch-cnn-a fine-tuned and exported, and its train step and loss model', async () => {
    const encoder = fixture('koch-cnn-a', 'encoder.onnx');
    const step = buildTrainStep({ encoder, loss: 'TripletLoss', optimizer: createAdamW() });
    const inputs = readSafetensors(fixture('koch-cnn-a', 'inputs.safetensors'));
    const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: 1e-3 });
    await trainer.step({ 'anchor.image': inputs.get('x1')!, 'positive.image': inputs.get('x2')!, 'negative.image': inputs.get('x3')! });
    await trainer.release();
    const printed = check({
      omniglot: readFileSync(join(REPO_ROOT, 'models', 'omniglot', 'model.onnx')),
      conv4: encodeModel(conv4Encoder({ channels: 8 }).toModel()),
      'koch-tuned': exportEncoder({ encoder, params: trainer.checkpoint().params, discovery: step.discovery }),
      'koch-step': step.model,
      'koch-loss': buildLossModel({ encoder, loss: 'TripletLoss' }),
    });
    expect(printed.trim().split('\n')).toEqual(['valid omniglot.onnx', 'valid conv4.onnx', 'valid koch-tuned.onnx', 'valid koch-step.onnx', 'valid koch-loss.onnx']);
  });

  test('bert-tiny-a (legacy export) fine-tuned with mean pooling, and its ContrastiveLoss train step', async () => {
    const encoder = fixture('bert-tiny-a', 'model.legacy.onnx');
    const step = buildTrainStep({ encoder, loss: 'ContrastiveLoss', optimizer: createAdamW() });
    const inputs = readSafetensors(fixture('bert-tiny-a', 'inputs.safetensors'));
    const rows = (r: number[]) => Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].flatMap((x) => [[`anchor.${x}`, takeRows(inputs.get(x)!, r)], [`other.${x}`, takeRows(inputs.get(x)!, r.map((i) => i + 1))]]));
    const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: 1e-3 });
    await trainer.step({ ...rows([0, 2]), labels: { type: 'float32', data: Float32Array.of(1, 0), dims: [2] } });
    await trainer.release();
    const printed = check({
      'bert-tuned': exportEncoder({ encoder, params: trainer.checkpoint().params, discovery: step.discovery, pooling: 'mean' }),
      'bert-step': step.model,
    });
    expect(printed.trim().split('\n')).toEqual(['valid bert-tuned.onnx', 'valid bert-step.onnx']);
  });

  test('the shipped models/text (int8 storage) and its CosineSimilarityLoss train step (weights folded to float32)', () => {
    const encoder = readFileSync(join(REPO_ROOT, 'models', 'text', 'model.onnx'));
    const step = buildTrainStep({ encoder, pooling: 'none', loss: 'CosineSimilarityLoss', optimizer: createAdamW() });
    const printed = check({ text: encoder, 'text-step': step.model });
    expect(printed.trim().split('\n')).toEqual(['valid text.onnx', 'valid text-step.onnx']);
  });
});
