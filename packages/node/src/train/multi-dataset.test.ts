import { describe, expect, test } from 'vitest';
import { lossTasks, pairDatasets, roundRobinBatches, roundRobinEpochSteps, roundRobinSteps } from './multi-dataset.js';
import { batchOrder } from './text-batches.js';

describe('roundRobinBatches', () => {
  test('one batch of each data set in turn; the epoch ends when one has none left (RoundRobinBatchSampler)', () => {
    // A: 7 rows → batches of 2: 4 (the last short); B: 3 rows → 2. Turns A0 B0 A1 B1 A2, then B is out.
    const batches = [...roundRobinBatches({ counts: [7, 3], batchSize: 2, epochs: 1, shuffle: false, seed: 0 })];
    expect(batches).toEqual([
      { dataset: 0, indices: [0, 1] }, { dataset: 1, indices: [0, 1] }, { dataset: 0, indices: [2, 3] }, { dataset: 1, indices: [2] }, { dataset: 0, indices: [4, 5] },
    ]);
    expect(roundRobinEpochSteps({ counts: [7, 3], batchSize: 2 })).toBe(5);
    // The first data set the shorter one: A0 B0, then A is out.
    expect([...roundRobinBatches({ counts: [2, 9], batchSize: 2, epochs: 1, shuffle: false, seed: 0 })].map((b) => b.dataset)).toEqual([0, 1]);
    expect(roundRobinSteps({ counts: [3, 3, 3], batchSize: 2, epochs: 2 })).toBe(12);
  });

  test('steps run on through epochs, every data set starting a new shuffle at each', () => {
    const batches = [...roundRobinBatches({ counts: [4, 6], batchSize: 2, steps: 9, shuffle: true, seed: 3 })];
    expect(batches.map((b) => b.dataset)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]); // epochs of 4 turns: A runs out at turn 4
    const epoch = (k: number, d: number) => batches.slice(4 * k, 4 * k + 4).filter((b) => b.dataset === d).flatMap((b) => b.indices);
    expect(epoch(0, 0).sort()).toEqual([0, 1, 2, 3]);
    expect(epoch(1, 0).sort()).toEqual([0, 1, 2, 3]);
    expect(epoch(0, 1)).toHaveLength(4); // B's last batch is dropped with its epoch, as the sampler's iterator is
    expect(new Set(epoch(0, 1)).size).toBe(4);
    expect([...roundRobinBatches({ counts: [4, 6], batchSize: 2, steps: 9, shuffle: true, seed: 3 })]).toEqual(batches);
  });

  test('one data set: exactly batchOrder (a single --data run keeps its order, and its checkpoints)', () => {
    for (const o of [{ count: 10, batchSize: 4, steps: 7, shuffle: true, seed: 42 }, { count: 5, batchSize: 2, epochs: 2, shuffle: false, seed: 0 }]) {
      expect([...roundRobinBatches({ ...o, counts: [o.count] })].map((b) => b.indices)).toEqual([...batchOrder(o)]);
    }
  });

  test('an empty data set is refused', () => {
    expect(() => [...roundRobinBatches({ counts: [3, 0], batchSize: 2, steps: 1, shuffle: false, seed: 0 })]).toThrow('[twinembed:train] round-robin batches: expected data sets of at least one row, got [3, 0]');
  });
});

describe('pairDatasets and lossTasks', () => {
  test('one loss for all files, or one per file in order; data sets of one loss share its train step', () => {
    expect(pairDatasets(['a', 'b'], ['CoSENTLoss'])).toEqual([{ path: 'a', loss: 'CoSENTLoss' }, { path: 'b', loss: 'CoSENTLoss' }]);
    const datasets = pairDatasets(['a', 'b', 'c'], ['CoSENTLoss', 'MultipleNegativesRankingLoss', 'CoSENTLoss']);
    expect(lossTasks(datasets)).toEqual({ losses: ['CoSENTLoss', 'MultipleNegativesRankingLoss'], taskOf: [0, 1, 0] });
    expect(() => pairDatasets(['a', 'b', 'c'], ['X', 'Y'])).toThrow('[twinembed:cli] finetune: expected one --loss for all --data files or one per file (3), got 2 (X, Y)');
  });
});
