// The bert-tiny-a and koch-cnn-a train steps on node-webgpu (SwiftShader, a software Vulkan, where no
// GPU is present): one AdamW step each, loss within 1e-3 of node-cpu. Slow in software, so one small step.
// koch-cnn-a's MaxPool (2×2, stride 2) gets the Indices-free gradient: the WebGPU EP rejects MaxPool's
// Indices output ("pool.cc:276 The Indices output is not supported yet").
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildTrainStep, createAdamW, createTrainer, nodeRuntime, readSafetensors, tripletLoss, type Runtime, type TrainBatch, type TrainStep } from '@twinembed/node';
import { hasShared, sharedPath } from './support/paths.js';
import { fixtureFile, fixtureLosses } from './support/train-batches.js';

// Dawn reads the Vulkan ICD at the first WebGPU session of the process: set it before any (as op-conformance does).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
}
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const hasVulkan = existsSync(process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD);

/** The losses of `steps` steps on node-cpu and on node-webgpu (a step's loss is before its update). */
async function losses(step: TrainStep, batch: TrainBatch, steps = 1): Promise<[number[], number[]]> {
  const run = async (runtime: Runtime) => {
    const t = await createTrainer({ runtime, step, lr: 1e-3 });
    const all = await t.train(Array.from({ length: steps }, () => batch));
    await t.release();
    return all;
  };
  return [await run(nodeRuntime()), await run(nodeRuntime({ executionProviders: ['webgpu'] }))];
}

describe.skipIf(!hasShared || (!hasVulkan && !inCi))('train steps on node-webgpu', () => {
  test('bert-tiny-a ContrastiveLoss: one AdamW step, loss within 1e-3 of node-cpu', { timeout: 120_000 }, async () => {
    const { loss, batch } = fixtureLosses('bert-tiny-a').ContrastiveLoss!;
    const step = buildTrainStep({ encoder: fixtureFile('bert-tiny-a', 'model.dynamo.onnx'), loss, optimizer: createAdamW() });
    const [[cpu], [gpu]] = (await losses(step, batch)) as [[number], [number]];
    if (process.env.TWINEMBED_REPORT) console.log(`node-webgpu vs node-cpu bert-tiny-a ContrastiveLoss: ${Math.abs(cpu - gpu).toExponential(2)}`);
    expect(Math.abs(cpu - gpu)).toBeLessThan(1e-3);
  });

  // The second step's loss is taken after an update made from WebGPU's gradients (MaxPool's among them).
  test('koch-cnn-a Triplet: one AdamW step, the next loss within 1e-3 of node-cpu', { timeout: 120_000 }, async () => {
    const step = buildTrainStep({
      encoder: readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'encoder.onnx')),
      loss: { kind: 'triplets', columns: [], build: (b, x) => tripletLoss(b, x, { margin: 1, eps: 0 }) },
      optimizer: createAdamW(),
    });
    const inputs = readSafetensors(readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'inputs.safetensors')));
    const [cpu, gpu] = await losses(step, { 'anchor.image': inputs.get('x1')!, 'positive.image': inputs.get('x2')!, 'negative.image': inputs.get('x3')! }, 2);
    if (process.env.TWINEMBED_REPORT) console.log(`node-webgpu vs node-cpu koch-cnn-a Triplet, losses ${cpu.join(' → ')}: ${cpu.map((l, i) => Math.abs(l - gpu[i]!).toExponential(2)).join(', ')}`);
    expect(Math.abs(cpu[0]! - cpu[1]!), 'the step moved the loss').toBeGreaterThan(1e-3);
    cpu.forEach((l, i) => expect(Math.abs(l - gpu[i]!), `loss ${i + 1}`).toBeLessThan(1e-3));
  });
});
