// The trainer on the koch-cnn-a twin (Triplet, AdamW): progress reports, validation, resumable
// checkpoints, the NaN stop, the exported encoder, and the same step on web-wasm (webRuntime in Node);
// and a parameter no loss reads, which the optimizer must leave alone.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  buildTrainStep, createAdamW, createTensor, createTrainer, exportEncoder, GraphBuilder, nodeRuntime, readSafetensors, seededUniform, tripletLoss,
  type Runtime, type Tensor, type TrainerProgress,
} from '@twinembed/node';
import { webRuntime } from '@twinembed/web';
import { hasShared, sharedPath } from './support/paths.js';
import { fixtureFile, fixtureLosses } from './support/train-batches.js';

const fixture = (f: string) => readFileSync(sharedPath('fixtures', 'koch-cnn-a', f));

describe.skipIf(!hasShared)('createTrainer on koch-cnn-a', () => {
  const inputs = hasShared ? readSafetensors(fixture('inputs.safetensors')) : new Map<string, Tensor>();
  const batch = { 'anchor.image': inputs.get('x1')!, 'positive.image': inputs.get('x2')!, 'negative.image': inputs.get('x3')! };
  const validation = { 'anchor.image': inputs.get('x3')!, 'positive.image': inputs.get('x1')!, 'negative.image': inputs.get('x2')! };
  const step = hasShared ? buildTrainStep({
    encoder: fixture('encoder.onnx'),
    loss: { kind: 'triplets', columns: [], build: (b, x) => tripletLoss(b, x, { margin: 1, eps: 0 }) },
    optimizer: createAdamW(),
  }) : undefined!;
  const trainer = (runtime: Runtime = nodeRuntime(), more = {}) => createTrainer({ runtime, step, lr: 1e-2, ...more });

  test('reports loss and steps/s per step through the callback', async () => {
    const seen: TrainerProgress[] = [];
    const t = await trainer(nodeRuntime(), { onProgress: (p: TrainerProgress) => seen.push(p) });
    const losses = await t.train([batch, batch, batch]);
    await t.release();
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(seen.map((p) => p.loss)).toEqual(losses);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    for (const p of seen) expect(p.stepsPerSecond).toBeGreaterThan(0);
  });

  test('train({ steps }) pulls exactly `steps` batches from the iterator', async () => {
    const t = await trainer();
    let pulled = 0;
    const source = { next: () => (pulled++, { done: false as const, value: batch }), [Symbol.iterator]() { return this; } };
    expect(await t.train(source, { steps: 2 })).toHaveLength(2);
    expect(pulled).toBe(2);
    await t.release();
  });

  test('evaluates without changing anything: the validation loss is the next step\'s loss on that batch', async () => {
    const t = await trainer();
    await t.step(batch);
    const before = t.checkpoint();
    const validationLoss = await t.evaluate([validation]);
    expect(t.checkpoint()).toBe(before);
    expect(await t.step(validation)).toBe(validationLoss);
    await t.release();
  });

  test('resumes from a checkpoint to the same parameters as an uninterrupted run', async () => {
    const straight = await trainer();
    await straight.train([batch, batch, batch, batch]);
    const saved: number[] = [];
    let kept: ReturnType<typeof straight.checkpoint> | undefined;
    const first = await trainer(nodeRuntime(), { checkpointEvery: 2, onCheckpoint: (c: typeof kept) => { saved.push(c!.step); kept = c; } });
    await first.train([batch, batch, batch], { steps: 2 });
    expect(saved).toEqual([2]);
    const resumed = await trainer(nodeRuntime(), { resume: kept });
    await resumed.train([batch, batch]);
    expect(resumed.checkpoint().step).toBe(4);
    for (const [name, t] of Object.entries(straight.checkpoint().params)) expect(resumed.checkpoint().params[name]!.data, name).toEqual(t.data);
    for (const [name, t] of Object.entries(straight.checkpoint().state)) expect(resumed.checkpoint().state[name]!.data, name).toEqual(t.data);
    await Promise.all([straight.release(), first.release(), resumed.release()]);
  });

  test('stops on a NaN loss with a clear error and keeps the last good state', async () => {
    const t = await trainer();
    await t.step(batch);
    const good = t.checkpoint();
    const poisoned = { ...batch, 'anchor.image': createTensor('float32', new Float32Array(batch['anchor.image'].data.length).fill(Number.NaN), batch['anchor.image'].dims) };
    await expect(t.step(poisoned)).rejects.toThrow(/\[twinembed:train\] step 2: expected a finite loss, got NaN; .*the trainer keeps step 1's parameters, as trainer\.checkpoint\(\) returns them$/);
    expect(t.checkpoint()).toBe(good);
    await t.release();
  });

  test('exports the trained encoder: it runs alone and its embeddings give the trainer\'s loss', async () => {
    const t = await trainer();
    await t.train([batch, batch]);
    const expectedLoss = await t.evaluate([batch]);
    await t.release();
    const session = await nodeRuntime().createSession(exportEncoder({ encoder: fixture('encoder.onnx'), params: t.checkpoint().params, discovery: step.discovery }));
    expect(session.inputs.map((i) => i.name)).toEqual(['image']);
    const [a, p, n] = await Promise.all(['x1', 'x2', 'x3'].map(async (x) => (await session.run({ image: inputs.get(x)! })).embedding!.data as Float32Array));
    await session.release();
    const distance = (u: Float32Array, v: Float32Array, i: number) => Math.hypot(...Array.from({ length: 32 }, (_, j) => u[i * 32 + j]! - v[i * 32 + j]!));
    const loss = Array.from({ length: 12 }, (_, i) => Math.max(distance(a!, p!, i) - distance(a!, n!, i) + 1, 0)).reduce((s, x) => s + x) / 12;
    expect(Math.abs(loss - expectedLoss)).toBeLessThan(1e-6);
    const untrained = readSafetensors(fixture('params.safetensors')).get('encoder.fc.weight')!.data as Float32Array;
    expect(t.checkpoint().params['fc.weight']!.data).not.toEqual(untrained);
  });

  test('the same train step on web-wasm: losses within 1e-3 of node-cpu', async () => {
    const node = await trainer();
    const web = await trainer(webRuntime());
    const [cpu, wasm] = [await node.train([batch, batch]), await web.train([batch, batch])];
    await Promise.all([node.release(), web.release()]);
    cpu.forEach((l, i) => expect(Math.abs(l - wasm[i]!), `step ${i + 1}`).toBeLessThan(1e-3));
    expect(web.checkpoint().step).toBe(2);
  });
});

describe.skipIf(!hasShared)('the bert-tiny-a train step on web-wasm', () => {
  test('ContrastiveLoss: two AdamW steps, losses within 1e-3 of node-cpu', async () => {
    const { loss, batch } = fixtureLosses('bert-tiny-a').ContrastiveLoss!;
    const step = buildTrainStep({ encoder: fixtureFile('bert-tiny-a', 'model.dynamo.onnx'), loss, optimizer: createAdamW() });
    const run = async (runtime: Runtime) => {
      const t = await createTrainer({ runtime, step, lr: 1e-3 });
      const losses = await t.train([batch, batch]);
      await t.release();
      return losses;
    };
    const [cpu, wasm] = [await run(nodeRuntime()), await run(webRuntime())];
    if (process.env.TWINEMBED_REPORT) console.log(`web-wasm vs node-cpu bert-tiny-a ContrastiveLoss: ${cpu.map((l, i) => Math.abs(l - wasm[i]!).toExponential(2)).join(', ')}`);
    cpu.forEach((l, i) => expect(Math.abs(l - wasm[i]!), `step ${i + 1}`).toBeLessThan(1e-3));
  });
});

describe('a parameter the loss does not read', () => {
  test('is left as it is by AdamW, weight decay included, like a PyTorch parameter whose grad is None', async () => {
    // An encoder with a second output (a pooler beside the embedding) that no loss reads.
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4]);
    b.output(b.op.MatMul(x, b.param('proj.weight', seededUniform(1, 12, -1, 1), [4, 3])), 'embedding');
    b.output(b.op.Tanh(b.op.MatMul(x, b.param('pooler.weight', seededUniform(2, 8, -1, 1), [4, 2]))), 'pooler');
    const step = buildTrainStep({ encoder: b, loss: 'TripletLoss', optimizer: createAdamW({ weightDecay: 0.5 }) });
    expect(step.params.map((p) => p.name)).toEqual(['proj.weight', 'pooler.weight']);
    const rows = (seed: number) => createTensor('float32', seededUniform(seed, 8, -1, 1), [2, 4]);
    const t = await createTrainer({ runtime: nodeRuntime(), step, lr: 0.1 });
    await t.train([{ 'anchor.x': rows(3), 'positive.x': rows(4), 'negative.x': rows(5) }, { 'anchor.x': rows(6), 'positive.x': rows(7), 'negative.x': rows(8) }]);
    await t.release();
    const { params, state } = t.checkpoint();
    const values = (tensor: Tensor | undefined) => Array.from(tensor!.data as Float32Array);
    expect(values(params['pooler.weight'])).toEqual(values(step.initialParams['pooler.weight']));
    expect(values(state['pooler.weight.exp_avg']).every((v) => v === 0)).toBe(true);
    expect(values(params['proj.weight'])).not.toEqual(values(step.initialParams['proj.weight']));
  });
});
