// bert-tiny-zeroinit: both exporters merged identical tensors (zero biases, unit LayerNorm weights)
// into shared initializers. Untied (the default), one SGD step (lr 0.1) must reproduce PyTorch's
// after_sgd embeddings; kept tied, the shared tensor trains as one parameter and must not.
import { describe, expect, test } from 'vitest';
import { buildTrainStep, createSgd, createTrainer, exportEncoder, nodeRuntime, readSafetensors } from '@twinembed/node';
import { hasShared } from './support/paths.js';
import { allSentences, fixtureFile, fixtureLosses } from './support/train-batches.js';

const DIR = 'bert-tiny-zeroinit';
const EXPORTS = ['model.dynamo.onnx', 'model.legacy.onnx'];

async function sgdEmbeddings(file: string, name: string, tied: 'untie' | 'keep'): Promise<{ worst: number; params: number }> {
  const { loss, options, batch } = fixtureLosses(DIR)[name]!;
  const encoder = fixtureFile(DIR, file);
  const step = buildTrainStep({ encoder, loss, lossOptions: options, optimizer: createSgd(), tied });
  const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: 0.1 });
  await trainer.step(batch);
  await trainer.release();
  const session = await nodeRuntime().createSession(exportEncoder({ encoder, params: trainer.checkpoint().params, discovery: step.discovery, pooling: 'mean' }));
  const { embeddings } = await session.run(allSentences(DIR), { outputs: ['embeddings'] });
  await session.release();
  const expected = readSafetensors(fixtureFile(DIR, `after_sgd.${name}.safetensors`)).get('embeddings_mean')!.data as Float32Array;
  const worst = (embeddings!.data as Float32Array).reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0);
  return { worst, params: step.params.length };
}

describe.skipIf(!hasShared)('bert-tiny-zeroinit train step after untying = PyTorch', () => {
  const names = hasShared ? Object.keys(fixtureLosses(DIR)) : [];
  test.each(EXPORTS.flatMap((file) => names.map((name) => [file, name] as const)))('one SGD step: %s %s', async (file, name) => {
    const { worst, params } = await sgdEmbeddings(file, name, 'untie');
    if (process.env.TWINEMBED_REPORT) console.log(`zeroinit after_sgd ${file} ${name}: max abs ${worst.toExponential(2)} (${params} parameters)`);
    expect(params).toBe(37);
    expect(worst).toBeLessThan(1e-4);
  });

  test.each(EXPORTS)('kept tied, %s trains a different model', async (file) => {
    const { worst, params } = await sgdEmbeddings(file, 'CosineSimilarityLoss', 'keep');
    expect(params).toBeLessThan(37);
    expect(worst).toBeGreaterThan(1e-3);
  });
});
