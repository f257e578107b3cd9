// Checkpoint files: a bit-exact round trip, atomic replacement, a resume through the trainer equal to an
// uninterrupted run, the errors for truncated, corrupt, foreign or mismatched files, and the fingerprint.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildTrainStep, createAdamW, createSgd, createTensor, createTrainer, encodeSafetensors, GraphBuilder, type Tensor, type TrainerCheckpoint } from '@twinembed/core';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { nodeRuntime } from '../node-runtime.js';
import { loadCheckpoint, saveCheckpoint, trainStepFingerprint } from './checkpoint-file.js';

const newDir = tempDirs('checkpoint-file');

const floats = (values: number[], dims: number[]) => createTensor('float32', Float32Array.from(values), dims);
const checkpoint: TrainerCheckpoint = {
  step: 7,
  params: { 'proj.weight': floats([1, -2, 3, 0.5, NaN, -0], [2, 3]), 'proj.bias': floats([0.25, 4], [2]) },
  state: { 'proj.weight.exp_avg': floats([1e-30, 2, 3, 4, 5, 6], [2, 3]), 'proj.bias.exp_avg': floats([7, 8], [2]) },
};
const bytesOf = (t: Tensor) => Buffer.from(new Uint8Array((t.data as Float32Array).buffer, (t.data as Float32Array).byteOffset, (t.data as Float32Array).byteLength));

function expectSameTensors(a: Readonly<Record<string, Tensor>>, b: Readonly<Record<string, Tensor>>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [name, t] of Object.entries(a)) {
    expect([name, b[name]!.type, b[name]!.dims]).toEqual([name, t.type, t.dims]);
    expect(bytesOf(b[name]!).equals(bytesOf(t)), name).toBe(true);
  }
}

describe('saveCheckpoint / loadCheckpoint', () => {
  test('step, parameters, optimizer state and caller metadata come back bit for bit', async () => {
    const path = join(newDir(), 'c.safetensors');
    await saveCheckpoint(path, checkpoint, { loss: 'TripletLoss', note: 'x' });
    const loaded = await loadCheckpoint(path, { expect: { loss: 'TripletLoss' } });
    expect(loaded.checkpoint.step).toBe(7);
    expect(loaded.meta).toEqual({ loss: 'TripletLoss', note: 'x' });
    expectSameTensors(checkpoint.params, loaded.checkpoint.params);
    expectSameTensors(checkpoint.state, loaded.checkpoint.state);
  });

  test('a save replaces the previous file and leaves no temporary file; a failed one leaves nothing', async () => {
    const dir = newDir();
    const path = join(dir, 'c.safetensors');
    await saveCheckpoint(path, checkpoint);
    await saveCheckpoint(path, { ...checkpoint, step: 8 });
    expect(readdirSync(dir)).toEqual(['c.safetensors']);
    expect((await loadCheckpoint(path)).checkpoint.step).toBe(8);
    await expect(saveCheckpoint(join(dir, 'missing', 'c.safetensors'), checkpoint)).rejects.toThrow(/^\[twinembed:io\] cannot write checkpoint ".*missing.c\.safetensors": ENOENT/);
    expect(readdirSync(dir)).toEqual(['c.safetensors']);
  });

  test('a file resumed by the trainer continues as an uninterrupted run, bit for bit', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4]);
    b.output(b.op.MatMul(x, b.param('proj.weight', Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), [4, 3])), 'embedding');
    const step = buildTrainStep({ encoder: b, loss: 'TripletLoss', lossOptions: { margin: 10 }, optimizer: createAdamW() });
    const batches = [1, 2, 3].map((seed) => Object.fromEntries(['anchor', 'positive', 'negative'].map((role, r) => [`${role}.x`, floats(Array.from({ length: 8 }, (_, i) => Math.cos(seed * 7 + r * 3 + i)), [2, 4])])));
    const run = async (resume: TrainerCheckpoint | undefined, from: number) => {
      const trainer = await createTrainer({ runtime: nodeRuntime(), step, lr: 0.01, resume });
      await trainer.train(batches.slice(from));
      await trainer.release();
      return trainer.checkpoint();
    };
    const straight = await run(undefined, 0);
    const first = await createTrainer({ runtime: nodeRuntime(), step, lr: 0.01 });
    await first.train(batches.slice(0, 1));
    await first.release();
    const path = join(newDir(), 'c.safetensors');
    await saveCheckpoint(path, first.checkpoint(), { trainStep: trainStepFingerprint(step) });
    const resumed = await run((await loadCheckpoint(path, { expect: { trainStep: trainStepFingerprint(step) } })).checkpoint, 1);
    expect(resumed.step).toBe(3);
    expectSameTensors(straight.params, resumed.params);
    expectSameTensors(straight.state, resumed.state);
    expect(bytesOf(straight.params['proj.weight']!).equals(bytesOf(first.checkpoint().params['proj.weight']!))).toBe(false);
  });
});

describe('refused checkpoints: one clear error', () => {
  const saved = async () => {
    const path = join(newDir(), 'c.safetensors');
    await saveCheckpoint(path, checkpoint, { loss: 'TripletLoss', trainStep: 'abc' });
    return path;
  };
  const rewrite = (path: string, edit: (bytes: Buffer) => Buffer) => writeFileSync(path, edit(readFileSync(path)));

  test('a truncated file', async () => {
    const path = await saved();
    rewrite(path, (bytes) => bytes.subarray(0, bytes.length - 3));
    await expect(loadCheckpoint(path)).rejects.toThrow(/^\[twinembed:safetensors\] checkpoint ".*c\.safetensors": expected 64 bytes of tensor data after the header, got 61 \(truncated or corrupt file\)$/);
  });

  test('a flipped bit in the tensor data', async () => {
    const path = await saved();
    rewrite(path, (bytes) => { bytes[bytes.length - 5]! ^= 0x10; return bytes; });
    await expect(loadCheckpoint(path)).rejects.toThrow(/^\[twinembed:checkpoint\] ".*c\.safetensors": expected the tensors' CRC-32 [0-9a-f]{8}, got [0-9a-f]{8} \(corrupt file\)$/);
  });

  test('a safetensors file that is not a checkpoint', async () => {
    const path = join(newDir(), 'model.safetensors');
    writeFileSync(path, encodeSafetensors(checkpoint.params, { format: 'pt' }));
    await expect(loadCheckpoint(path)).rejects.toThrow(/^\[twinembed:checkpoint\] ".*model\.safetensors": expected a twinembed checkpoint \(__metadata__ "twinembed.checkpoint": "1"\), got null/);
  });

  test('a missing file', async () => {
    await expect(loadCheckpoint(join(newDir(), 'none.safetensors'))).rejects.toThrow(/^\[twinembed:io\] cannot read checkpoint ".*none\.safetensors": no such file or directory$/);
  });

  test('metadata that differs from what the run expects: every difference in one line', async () => {
    const path = await saved();
    const error = await loadCheckpoint(path, { expect: { loss: 'CosineSimilarityLoss', trainStep: 'abc', optimizer: 'adamw' } }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^\[twinembed:checkpoint\] ".*c\.safetensors" was written for another run: loss expected "CosineSimilarityLoss", got "TripletLoss"; optimizer expected "adamw", got null$/);
  });

  test('caller metadata may not use the file\'s own keys', async () => {
    await expect(saveCheckpoint(join(newDir(), 'c.safetensors'), checkpoint, { 'twinembed.step': '3' })).rejects.toThrow(/expected caller metadata keys outside "twinembed\.", got twinembed\.step/);
    expect(existsSync(join(newDir(), 'c.safetensors'))).toBe(false);
  });
});

describe('trainStepFingerprint', () => {
  const encoder = (dims: [number, number], name = 'proj.weight') => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', dims[0]]);
    b.output(b.op.MatMul(x, b.param(name, new Float32Array(dims[0] * dims[1]).fill(0.5), dims)), 'embedding');
    return b;
  };
  const fingerprint = (options: { dims?: [number, number]; name?: string; optimizer?: ReturnType<typeof createSgd>; loss?: string }) =>
    trainStepFingerprint(buildTrainStep({ encoder: encoder(options.dims ?? [4, 3], options.name), loss: options.loss ?? 'TripletLoss', optimizer: options.optimizer ?? createAdamW() }));

  test('equal for the same parameters and optimizer, whatever the values or the loss', () => {
    expect(fingerprint({})).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ loss: 'MultipleNegativesRankingLoss' })).toBe(fingerprint({}));
    expect(fingerprint({ optimizer: createAdamW({ weightDecay: 0.5 }) })).toBe(fingerprint({}));
  });

  test('different for other shapes, names, optimizers or optimizer state', () => {
    const base = fingerprint({});
    expect(fingerprint({ dims: [4, 5] })).not.toBe(base);
    expect(fingerprint({ name: 'other.weight' })).not.toBe(base);
    expect(fingerprint({ optimizer: createSgd() })).not.toBe(base);
    expect(fingerprint({ optimizer: createSgd({ momentum: 0.9 }) })).not.toBe(fingerprint({ optimizer: createSgd() }));
  });
});
