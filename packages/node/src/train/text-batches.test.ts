import { describe, expect, test } from 'vitest';
import type { TextTokenizer } from '@twinembed/core';
import { batchOrder, createTextBatches, totalSteps } from './text-batches.js';

describe('batchOrder', () => {
  test('epochs: every row once per epoch, in file order without shuffle, the last batch short', () => {
    expect([...batchOrder({ count: 5, batchSize: 2, epochs: 2, shuffle: false, seed: 0 })]).toEqual([[0, 1], [2, 3], [4], [0, 1], [2, 3], [4]]);
    expect(totalSteps({ count: 5, batchSize: 2, epochs: 2 })).toBe(6);
  });

  test('steps: continues into the next epoch; a shuffle is a seeded permutation per epoch', () => {
    const run = (seed: number) => [...batchOrder({ count: 10, batchSize: 4, steps: 5, shuffle: true, seed })];
    const batches = run(42);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2, 4, 4]);
    expect(batches.slice(0, 3).flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.slice(0, 3).flat()).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(run(42)).toEqual(batches);
    expect(run(7)).not.toEqual(batches);
  });
});

describe('createTextBatches', () => {
  // One token per character, so lengths are easy to read.
  const tokenizer = { maxLength: undefined, vocabSize: 256, encode: (t: string) => ({ ids: Int32Array.from(t, (c) => c.charCodeAt(0)), typeIds: new Int32Array(t.length) }) } as TextTokenizer;
  const spec = { ids: { name: 'input_ids', type: 'int64', shape: null }, mask: { name: 'attention_mask', type: 'int32', shape: null } } as never;
  const step = {
    roles: ['anchor', 'other'],
    branchInputs: ['anchor', 'other'].flatMap((role) => ['input_ids', 'attention_mask'].map((x) => ({ name: `${role}.${x}`, role, encoderInput: x }))),
    labels: { name: 'labels', type: 'float32' as const },
  };

  test('each role is padded to its own longest row; labels follow the rows', () => {
    const rows = { count: 3, texts: [['ab', 'c', 'def'], ['x', 'yz', 'w']], labels: [1, 0, 0.5], columns: ['sentence1', 'sentence2', 'score'] };
    const batch = createTextBatches({ rows, tokenizer, spec, step })([2, 1]);
    expect(batch['anchor.input_ids']!.dims).toEqual([2, 3]);
    expect(Array.from(batch['anchor.input_ids']!.data as BigInt64Array, Number)).toEqual([100, 101, 102, 99, 0, 0]);
    expect(Array.from(batch['other.attention_mask']!.data as Int32Array)).toEqual([1, 0, 1, 1]);
    expect(Array.from(batch.labels!.data as Float32Array)).toEqual([0.5, 0]);
  });

  test('an encoder input that is neither ids, mask nor token types fails before any batch', () => {
    const odd = { ...step, branchInputs: [...step.branchInputs, { name: 'anchor.pixel_values', role: 'anchor', encoderInput: 'pixel_values' }] };
    const rows = { count: 1, texts: [['a'], ['b']], labels: [1], columns: [] };
    expect(() => createTextBatches({ rows, tokenizer, spec, step: odd })).toThrow(/the encoder input "pixel_values" is not ids, mask or token types/);
  });
});
