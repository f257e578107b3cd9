// One SGD step (lr 0.1) through the optimizer graph, using PyTorch's own gradients (grad.<Loss>),
// must reproduce the fixture's mean-pooled embeddings after that step (after_sgd.<Loss>) on both
// exports. This checks the SGD graph and the parameter mapping (renamed, transposed weights) before
// autodiff exists; the full train step will later replace the fixture gradients with its own.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  appendOptimizerStep, createSgd, createTensor, decodeModel, encodeModel, GraphBuilder, importModel, makeTensorProto, nodeRuntime,
  readSafetensors, tensorDims, tensorValues, type Session, type Tensor,
} from '@twinembed/node';
import { hasShared, sharedPath } from './support/paths.js';

const fixture = (f: string) => readFileSync(sharedPath('fixtures', 'bert-tiny-a', f));
const json = (f: string) => JSON.parse(fixture(f).toString('utf8'));
const EXPORTS = ['model.dynamo.onnx', 'model.legacy.onnx'];
type ParamMap = Record<string, Record<string, { param: string; transposed: boolean }[]>>;

function transpose2d(t: Tensor): Float32Array {
  const [rows, cols] = t.dims as [number, number];
  const data = t.data as Float32Array;
  return Float32Array.from({ length: data.length }, (_, i) => data[(i % rows) * cols + Math.floor(i / rows)]!);
}

/** The SGD step over every mapped initializer: inputs `<name>` and `grad.<name>`, outputs `updated.<name>`. */
function buildSgdStep(initializers: Map<string, { dims: number[] }>): Uint8Array {
  const b = new GraphBuilder({ name: 'sgd' });
  const params = [...initializers].map(([name, { dims }]) => ({
    name, dims, param: b.input(name, 'float32', dims), grad: b.input(`grad.${name}`, 'float32', dims),
  }));
  appendOptimizerStep(b, { optimizer: createSgd(), params });
  return encodeModel(b.toModel());
}

/** The export with its parameters replaced, plus sentence-transformers' mean pooling. */
function pooledModel(file: string, updated: Record<string, Tensor>): Uint8Array {
  const model = decodeModel(fixture(file));
  model.graph!.initializer = model.graph!.initializer!.map((t) => {
    const next = updated[`updated.${t.name}`];
    return next ? makeTensorProto(t.name!, 'float32', tensorDims(t), next.data) : t;
  });
  const b = importModel(model);
  const mask = b.op.Unsqueeze(b.op.Cast(b.value('attention_mask'), { to: 'float32' }), { axes: [-1] });
  const summed = b.op.ReduceSum(b.op.Mul(b.value('last_hidden_state'), mask), { axes: [1], keepdims: 0 });
  b.output(b.op.Div(summed, b.op.Max(b.op.ReduceSum(mask, { axes: [1], keepdims: 0 }), 1e-9)), 'embeddings_mean');
  return encodeModel(b.toModel());
}

let encoderInputs: Record<string, Tensor> = {};

async function embed(model: Uint8Array): Promise<Float32Array> {
  const session = await nodeRuntime().createSession(model);
  const { embeddings_mean: pooled } = await session.run(encoderInputs, { outputs: ['embeddings_mean'] });
  await session.release();
  expect(pooled!.dims).toEqual([32, 64]);
  return pooled!.data as Float32Array;
}

describe.skipIf(!hasShared)('one SGD step with PyTorch gradients = after_sgd embeddings', () => {
  const losses: Record<string, { sgd_lr: number }> = hasShared ? json('losses.json') : {};
  const steps: Record<string, { session: Session; params: Record<string, Tensor>; map: ParamMap[string]; initial: Float32Array }> = {};

  beforeAll(async () => {
    const inputs = readSafetensors(fixture('inputs.safetensors'));
    encoderInputs = Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((n) => [n, inputs.get(n)!]));
    const maps = json('param_map.json') as ParamMap;
    for (const file of EXPORTS) {
      const map = maps[file]!;
      const params: Record<string, Tensor> = {};
      for (const t of decodeModel(fixture(file)).graph!.initializer!) {
        if (map[t.name!]) params[t.name!] = createTensor('float32', tensorValues(t) as Float32Array, tensorDims(t));
      }
      const shapes = new Map(Object.entries(params).map(([name, t]) => [name, { dims: [...t.dims] }]));
      const initial = await embed(pooledModel(file, {}));
      steps[file] = { session: await nodeRuntime().createSession(buildSgdStep(shapes)), params, map, initial };
    }
  });

  test.each(EXPORTS.flatMap((file) => Object.keys(losses).map((loss) => [file, loss])))('%s %s', async (file, loss) => {
    const { session, params, map } = steps[file]!;
    const grads = readSafetensors(fixture(`grad.${loss}.safetensors`));
    const feeds: Record<string, Tensor> = { ...params, 'optimizer.lr': createTensor('float32', Float32Array.of(losses[loss]!.sgd_lr), []) };
    for (const [name, targets] of Object.entries(map)) {
      const { param, transposed } = targets[0]!; // one parameter per tensor in this (untied) fixture
      const grad = grads.get(param)!;
      feeds[`grad.${name}`] = createTensor('float32', transposed ? transpose2d(grad) : (grad.data as Float32Array), params[name]!.dims);
    }
    expect(Object.keys(createSgd().scalars(1, losses[loss]!.sgd_lr))).toEqual(['lr']);
    const updated = await session.run(feeds);
    const actual = await embed(pooledModel(file, updated));
    const expected = readSafetensors(fixture(`after_sgd.${loss}.safetensors`)).get('embeddings_mean')!.data as Float32Array;
    const worst = Math.max(...Array.from(actual, (v, i) => Math.abs(v - expected[i]!)));
    const moved = Math.max(...Array.from(steps[file]!.initial, (v, i) => Math.abs(v - expected[i]!)));
    if (process.env.TWINEMBED_REPORT) console.log(`after_sgd ${file} ${loss} max abs ${worst.toExponential(2)}, step moved ${moved.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    expect(moved).toBeGreaterThan(1e-3); // the step itself is far above the tolerance: skipping it would fail
  });
});
