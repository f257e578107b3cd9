// Parameter discovery and untying on bert-tiny-zeroinit, whose exports merge equal tensors (zero
// biases, unit LayerNorm weights) into one initializer read by many nodes. Untied (the default),
// every copy must get the gradient PyTorch gives its own parameter; kept tied, the shared tensor
// gets the sum over the parameters merged into it.
import { decodeModel, importModel, nodeRuntime, readSafetensors, type Tensor } from '@twinembed/node';
import { describe, expect, test } from 'vitest';
import { discoverParameters } from '../packages/core/src/autodiff/parameters.js';
import { compare, fixture, gradients, relativeErrors, sentencePairs } from './support/gradient-oracle.js';
import { hasShared } from './support/paths.js';

const dir = 'bert-tiny-zeroinit';
const runtime = nodeRuntime();
const load = (file: string) => importModel(decodeModel(fixture(dir, file)));

describe.skipIf(!hasShared)('parameters of bert-tiny-zeroinit', () => {
  const hf = readSafetensors(fixture(dir, 'params.safetensors')); // also the pooler, which the exports leave out
  const torch = readSafetensors(fixture(dir, 'grad.CosineSimilarityLoss.safetensors'));
  const { feeds, pooledPairs, LOSSES } = sentencePairs(dir);

  test.each(['model.legacy.onnx', 'model.dynamo.onnx'])('%s: 18 merged tensors, 37 parameters once untied', (file) => {
    expect(discoverParameters(load(file), { tied: 'keep' }).size).toBe(18);
    expect(discoverParameters(load(file)).size).toBe(37); // params.safetensors less the pooler's 2
    expect(discoverParameters(load(file), { trainable: 'none' }).size).toBe(0);
    expect(discoverParameters(load(file), { trainable: /LayerNorm/, tied: 'keep' }).size).toBe(2);
  });

  test('legacy, untied: the Identity aliases name the copies, and each copy gets its own PyTorch gradient', async () => {
    const b = load('model.legacy.onnx');
    const [u, v] = pooledPairs(b);
    const { grads } = await gradients(runtime, b, (g) => LOSSES.CosineSimilarityLoss!(g, u, v), feeds);
    const named = [...grads].filter(([name]) => name.startsWith('bert.'));
    expect(named).toHaveLength(25); // every parameter but the 12 MatMul weights, which keep exporter names
    const errors = relativeErrors(new Map(named.map(([name, g]) => [name, compare(g, torch.get(name.slice('bert.'.length))!, false)])));
    console.info(`bert-tiny-zeroinit legacy untied: worst relative gradient error ${Math.max(...errors.values()).toExponential(2)} over ${errors.size} tensors`);
    for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-4);
  });

  test('dynamo, kept tied: a shared tensor gets the sum of the gradients of the parameters merged into it', async () => {
    const b = load('model.dynamo.onnx');
    const [u, v] = pooledPairs(b);
    const merged = [...b.initializers.keys()].filter((name) => ['embeddings.LayerNorm.weight', 'embeddings.LayerNorm.bias', 'encoder.layer.0.intermediate.dense.bias'].includes(name));
    const { grads } = await gradients(runtime, b, (g) => LOSSES.CosineSimilarityLoss!(g, u, v), feeds, { tied: 'keep' });
    for (const name of merged) {
      const values = hf.get(name)!.data as Float32Array;
      const group = [...hf].filter(([param]) => torch.has(param)).filter(([, t]) => t.data.length === values.length && (t.data as Float32Array).every((x, i) => x === values[i]));
      expect(group.length, name).toBeGreaterThan(1);
      const sum = new Float32Array(values.length);
      for (const [param] of group) (torch.get(param)!.data as Float32Array).forEach((g, i) => (sum[i]! += g));
      const expected: Tensor = { type: 'float32', dims: [values.length], data: sum };
      const { worst, scale } = compare(grads.get(name)!, expected, false);
      console.info(`bert-tiny-zeroinit dynamo tied ${name}: ${group.length} parameters, relative error ${(worst / scale).toExponential(2)}`);
      expect(worst / scale, `${name} (${group.length} parameters)`).toBeLessThan(1e-4);
    }
  });
});
