// The whole train step on the fixture BERT (both exports) against sentence-transformers + PyTorch:
// one plain SGD step (lr 0.1) must reproduce the mean-pooled embeddings after_sgd.<Loss> within 1e-4,
// and three AdamW steps (lr 1e-3, weight decay 0.01) the parameters after_adamw3.<Loss> within 1e-4.
import { describe, expect, test } from 'vitest';
import { buildTrainStep, createAdamW, createSgd, createTrainer, exportEncoder, nodeRuntime, readSafetensors, type Tensor } from '@twinembed/node';
import { hasShared } from './support/paths.js';
import { allSentences, fixtureFile, fixtureLosses } from './support/train-batches.js';

const DIR = 'bert-tiny-a';
const EXPORTS = ['model.dynamo.onnx', 'model.legacy.onnx'];
const fixture = (f: string) => fixtureFile(DIR, f);
const report = (line: string) => process.env.TWINEMBED_REPORT && console.log(line);

async function pooled(model: Uint8Array): Promise<Float32Array> {
  const session = await nodeRuntime().createSession(model);
  const { embeddings } = await session.run(allSentences(DIR), { outputs: ['embeddings'] });
  await session.release();
  return embeddings!.data as Float32Array;
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe.skipIf(!hasShared)('bert-tiny-a train step = PyTorch', () => {
  const losses = hasShared ? fixtureLosses(DIR) : {};
  const cases = EXPORTS.flatMap((file) => Object.keys(losses).map((name) => [file, name] as const));

  test.each(cases)('one SGD step: %s %s', async (file, name) => {
    const { loss, options, batch } = losses[name]!;
    const step = buildTrainStep({ encoder: fixture(file), loss, lossOptions: options, optimizer: createSgd() });
    const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: 0.1 });
    await trainer.step(batch);
    await trainer.release();
    const after = await pooled(exportEncoder({ encoder: fixture(file), params: trainer.checkpoint().params, discovery: step.discovery, pooling: 'mean' }));
    const before = await pooled(exportEncoder({ encoder: fixture(file), params: step.initialParams, discovery: step.discovery, pooling: 'mean' }));
    const expected = readSafetensors(fixture(`after_sgd.${name}.safetensors`)).get('embeddings_mean')!.data as Float32Array;
    report(`after_sgd ${file} ${name}: max abs ${maxAbs(after, expected).toExponential(2)}, step moved ${maxAbs(before, expected).toExponential(2)}`);
    expect(maxAbs(after, expected)).toBeLessThan(1e-4);
    expect(maxAbs(before, expected)).toBeGreaterThan(1e-3); // the step itself is far above the tolerance
  });

  test.each(cases)('three AdamW steps: %s %s', async (file, name) => {
    const { loss, options, batch } = losses[name]!;
    const adamw = (JSON.parse(fixture('losses.json').toString()) as Record<string, { adamw: { lr: number; weight_decay: number; losses: number[] } }>)[name]!.adamw;
    const step = buildTrainStep({ encoder: fixture(file), loss, lossOptions: options, optimizer: createAdamW({ weightDecay: adamw.weight_decay }) });
    const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: adamw.lr });
    const trajectory = await trainer.train([batch, batch, batch]);
    await trainer.release();
    // OnlineContrastiveLoss has no hard pair left after one step: PyTorch's loss is exactly 0, and ours must be too.
    trajectory.forEach((l, i) => expect(Math.abs(l - adamw.losses[i]!), `loss ${i + 1}`).toBeLessThanOrEqual(1e-4 * Math.abs(adamw.losses[i]!)));
    const errors = compareParams(file, trainer.checkpoint().params, readSafetensors(fixture(`after_adamw3.${name}.safetensors`)));
    const noise = zeroGradient(name);
    const bulk = errors.filter((e) => !noise.has(e.param));
    const noisy = errors.filter((e) => noise.has(e.param));
    const sorted = bulk.map((e) => e.error).sort((a, b) => a - b);
    const worst = bulk.reduce((w, e) => (e.error > w.error ? e : w));
    const worstNoisy = Math.max(0, ...noisy.map((e) => e.error));
    report(`after_adamw3 ${file} ${name}: ${sorted.length} elements, median ${sorted[sorted.length >> 1]!.toExponential(2)}, p99.9 ${sorted[Math.floor(sorted.length * 0.999)]!.toExponential(2)}, max ${worst.error.toExponential(2)} at ${worst.param}`
      + (noise.size ? `; zero-gradient tensors [${[...noise].join(', ')}]: max ${worstNoisy.toExponential(2)}, ${noisy.filter((e) => e.error > 1e-4).length}/${noisy.length} elements > 1e-4` : ''));
    expect(worst.error, worst.param).toBeLessThan(1e-4);
    // A gradient that is zero up to round-off has a random sign; Adam moves each element by at most
    // lr·(1 − β₁)/√(1 − β₂) per step whatever its gradient's size (Kingma & Ba, §2.1), so PyTorch and we
    // can end at most twice that per step apart there.
    expect(worstNoisy).toBeLessThanOrEqual(2 * 3 * adamw.lr * (0.1 / Math.sqrt(0.001)));
  });
});

/**
 * Parameters whose PyTorch gradient is zero up to float32 round-off (below 1e-6 of the largest): for
 * euclidean losses on mean-pooled rows, the last LayerNorm's bias shifts every embedding alike and
 * cancels from every distance, so d loss / d bias = 0 exactly and both sides hold only noise (~1e-8).
 */
function zeroGradient(name: string): Set<string> {
  const grads = readSafetensors(fixture(`grad.${name}.safetensors`));
  const peak = (t: Tensor) => (t.data as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const global = Math.max(...[...grads.values()].map(peak));
  return new Set([...grads].filter(([, g]) => peak(g) < 1e-6 * global).map(([param]) => param));
}

type ParamMap = Record<string, Record<string, { param: string; transposed: boolean }[]>>;

/** |ours − torch| per element, ours mapped to Hugging Face names through param_map.json (transposed where it says so). */
function compareParams(file: string, ours: Readonly<Record<string, Tensor>>, torch: Map<string, Tensor>): { param: string; error: number }[] {
  const map = (JSON.parse(fixture('param_map.json').toString()) as ParamMap)[file]!;
  const errors: { param: string; error: number }[] = [];
  for (const [name, tensor] of Object.entries(ours)) {
    const [target] = map[name] ?? map[name.replace(/\.param$/, '')] ?? [];
    if (!target) throw new Error(`${name} is not in param_map.json`);
    const t = torch.get(target.param)!.data as Float32Array;
    const a = tensor.data as Float32Array;
    const [rows, cols] = tensor.dims as number[];
    for (let i = 0; i < t.length; i++) {
      const v = target.transposed ? a[(i % rows!) * cols! + Math.floor(i / rows!)]! : a[i]!;
      errors.push({ param: target.param, error: Math.abs(v - t[i]!) });
    }
  }
  return errors;
}
