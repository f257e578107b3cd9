// fit(): the loop's bookkeeping against a scripted trainer — which checkpoint is kept, when it
// stops, what the log says — with no ONNX involved.
import { describe, expect, test } from 'vitest';
import { createTensor } from '../runtime/runtime.js';
import type { Trainer, TrainBatch, TrainerCheckpoint } from './create-trainer.js';
import { fit } from './fit.js';

/** A trainer whose step n returns loss `losses[n − 1]` and whose checkpoint carries the step. */
function scripted(losses: number[], from = 0): Trainer {
  let step = from;
  const checkpoint = (): TrainerCheckpoint => ({ step, params: { w: createTensor('float32', Float32Array.of(step), [1]) }, state: {} });
  return {
    step: async () => losses[step++ - from]!,
    train: async () => [],
    evaluate: async () => 0,
    checkpoint,
    release: async () => {},
  };
}

function* endless(): Generator<TrainBatch> {
  for (;;) yield {};
}

describe('fit', () => {
  test('keeps the best validation\'s checkpoint and logs the mean loss of each window', async () => {
    const scores = [0.2, 0.6, 0.4, 0.5];
    const seen: number[] = [];
    const result = await fit({
      trainer: scripted([4, 2, 3, 1, 2, 2, 1, 1]), batches: endless(), steps: 8, validateEvery: 2,
      validate: async (c) => scores[c.step / 2 - 1]!, onBest: (c) => void seen.push(c.step),
    });
    expect(result.steps).toBe(8);
    expect(result.best.step).toBe(4);
    expect(result.best.score).toBe(0.6);
    expect(result.best.checkpoint.params.w!.data[0]).toBe(4);
    expect(seen).toEqual([2, 4]);
    expect(result.log.map((e) => [e.step, e.loss, e.validation, e.best])).toEqual([[2, 3, 0.2, true], [4, 2, 0.6, true], [6, 2, 0.4, false], [8, 1, 0.5, false]]);
    expect(result.stoppedEarly).toBe(false);
  });

  test('stops after `patience` validations without a new best', async () => {
    const scores = [0.5, 0.4, 0.45, 0.9];
    const result = await fit({ trainer: scripted(Array(20).fill(1)), batches: endless(), steps: 20, validateEvery: 5, patience: 2, validate: async (c) => scores[c.step / 5 - 1]! });
    expect(result.steps).toBe(15);
    expect(result.stoppedEarly).toBe(true);
    expect(result.best.step).toBe(5);
  });

  test('a sampler that ends early: the last partial window is logged; without validation the last checkpoint is the result', async () => {
    const result = await fit({ trainer: scripted([1, 2, 3]), batches: [{}, {}, {}][Symbol.iterator](), steps: 10, validateEvery: 2 });
    expect(result.steps).toBe(3);
    expect(result.log.map((e) => [e.step, e.loss])).toEqual([[2, 1.5], [3, 3]]);
    expect([result.best.step, result.best.score]).toEqual([3, undefined]);
  });

  test('a validation with figures logs them; NaN is never the best', async () => {
    const scores = [Number.NaN, 0.3, Number.NaN, 0.1];
    const result = await fit({
      trainer: scripted(Array(8).fill(1)), batches: endless(), steps: 8, validateEvery: 2,
      validate: async (c) => ({ score: scores[c.step / 2 - 1]!, metrics: { spearman_cosine: scores[c.step / 2 - 1]!, pearson_cosine: c.step } }),
    });
    expect(result.log.map((e) => [e.step, e.best, e.metrics?.pearson_cosine])).toEqual([[2, false, 2], [4, true, 4], [6, false, 6], [8, false, 8]]);
    expect([result.best.step, result.best.score]).toEqual([4, 0.3]);
  });

  test('a resumed trainer validates at multiples of validateEvery of its own step count, and after the last step', async () => {
    const steps: number[] = [];
    await fit({ trainer: scripted(Array(7).fill(1), 3), batches: endless(), steps: 7, validateEvery: 4, validate: async (c) => (steps.push(c.step), 0) });
    expect(steps).toEqual([4, 8, 10]);
  });

  test('pulls exactly `steps` batches (a stateful sampler loses none)', async () => {
    let pulled = 0;
    const batches = { next: () => (pulled++, { done: false as const, value: {} }) };
    await fit({ trainer: scripted(Array(7).fill(1)), batches, steps: 7 });
    expect(pulled).toBe(7);
  });

  test('bad settings and an empty sampler', async () => {
    await expect(fit({ trainer: scripted([]), batches: endless(), steps: 0 })).rejects.toThrow(/steps: expected an integer ≥ 1, got 0/);
    await expect(fit({ trainer: scripted([]), batches: [][Symbol.iterator](), steps: 3 })).rejects.toThrow(/expected at least one batch, got none/);
  });
});
