// The bert-tiny-a train step on node-webgpu (SwiftShader, a software Vulkan, where no GPU is present):
// one AdamW step, loss within 1e-3 of node-cpu. Slow in software (~6 s), so one small step only.
// koch-cnn-a cannot run there yet: the WebGPU EP rejects MaxPool's Indices output, which the MaxPool
// gradient rule reads ("pool.cc:276 The Indices output is not supported yet").
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildTrainStep, createAdamW, createTrainer, nodeRuntime, type Runtime } from '@twinembed/node';
import { hasShared } from './support/paths.js';
import { fixtureFile, fixtureLosses } from './support/train-batches.js';

// Dawn reads the Vulkan ICD at the first WebGPU session of the process: set it before any (as op-conformance does).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
}
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const hasVulkan = existsSync(process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD);

describe.skipIf(!hasShared || (!hasVulkan && !inCi))('the bert-tiny-a train step on node-webgpu', () => {
  test('ContrastiveLoss: one AdamW step, loss within 1e-3 of node-cpu', { timeout: 120_000 }, async () => {
    const { loss, batch } = fixtureLosses('bert-tiny-a').ContrastiveLoss!;
    const step = buildTrainStep({ encoder: fixtureFile('bert-tiny-a', 'model.dynamo.onnx'), loss, optimizer: createAdamW() });
    const run = async (runtime: Runtime) => {
      const t = await createTrainer({ runtime, step, lr: 1e-3 });
      const [first] = await t.train([batch]);
      await t.release();
      return first!;
    };
    const [cpu, gpu] = [await run(nodeRuntime()), await run(nodeRuntime({ executionProviders: ['webgpu'] }))];
    if (process.env.TWINEMBED_REPORT) console.log(`node-webgpu vs node-cpu bert-tiny-a ContrastiveLoss: ${Math.abs(cpu - gpu).toExponential(2)}`);
    expect(Math.abs(cpu - gpu)).toBeLessThan(1e-3);
  });
});
