import { describe, expect, test } from 'vitest';
import { createLrSchedule } from './lr-schedule.js';

// Expected factors from transformers' get_*_schedule_with_warmup lambdas, evaluated by hand.
describe('createLrSchedule', () => {
  const run = (schedule: (s: number) => number, steps: number) => Array.from({ length: steps }, (_, s) => schedule(s));

  test('constant, with and without warm-up', () => {
    expect(run(createLrSchedule({ lr: 0.1 }), 3)).toEqual([0.1, 0.1, 0.1]);
    const warm = run(createLrSchedule({ lr: 0.3, warmupSteps: 3 }), 5);
    [0, 0.1, 0.2, 0.3, 0.3].forEach((v, i) => expect(warm[i]).toBeCloseTo(v, 15));
  });

  test('linear warm-up then decay to 0 at totalSteps', () => {
    const lr = run(createLrSchedule({ lr: 1, kind: 'linear', warmupSteps: 2, totalSteps: 6 }), 8);
    expect(lr).toEqual([0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0]);
  });

  test('cosine: half a cosine period after warm-up', () => {
    const lr = run(createLrSchedule({ lr: 2, kind: 'cosine', totalSteps: 4 }), 5);
    [2, 1.7071067811865475, 1, 0.2928932188134524, 0].forEach((v, i) => expect(lr[i]).toBeCloseTo(v, 14));
  });

  test('bad options and steps fail with the option named', () => {
    expect(() => createLrSchedule({ lr: 1, kind: 'linear' })).toThrow(/totalSteps: expected an integer ≥ 1 for a linear schedule/);
    expect(() => createLrSchedule({ lr: -1 })).toThrow(/lr: expected a finite number ≥ 0, got -1/);
    expect(() => createLrSchedule({ lr: 1, warmupSteps: 1.5 })).toThrow(/warmupSteps/);
    expect(() => createLrSchedule({ lr: 1, kind: 'step' as 'linear', totalSteps: 3 })).toThrow(/kind: expected constant, linear or cosine, got step/);
    expect(() => createLrSchedule({ lr: 1 })(-1)).toThrow(/step: expected an integer ≥ 0, got -1/);
  });
});
