import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lossEntry } from '@twinembed/core';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { readTrainRows } from './read-train-rows.js';

const newDir = tempDirs('train-rows');
const file = (lines: object[]) => {
  const path = join(newDir(), 'rows.jsonl');
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
  return path;
};

describe('readTrainRows', () => {
  test('pairs with a score, triplets, labeled texts: texts per column in the loss\'s order, then labels', async () => {
    const pairs = await readTrainRows(file([{ sentence2: 'b', sentence1: 'a', score: 0.3, extra: 1 }]), lossEntry('CosineSimilarityLoss'));
    expect(pairs).toEqual({ count: 1, texts: [['a'], ['b']], labels: [0.3], columns: ['sentence1', 'sentence2', 'score'] });
    const triplets = await readTrainRows(file([{ anchor: 'a', positive: 'p', negative: 'n' }, { anchor: 'b', positive: 'q', negative: 'm' }]), lossEntry('TripletLoss'));
    expect(triplets).toEqual({ count: 2, texts: [['a', 'b'], ['p', 'q'], ['n', 'm']], columns: ['anchor', 'positive', 'negative'] });
    const labeled = await readTrainRows(file([{ text: 't', label: 3 }]), lossEntry('BatchAllTripletLoss'));
    expect(labeled).toEqual({ count: 1, texts: [['t']], labels: [3], columns: ['text', 'label'] });
  });

  test('hard negatives for MultipleNegativesRankingLoss are refused, not dropped', async () => {
    await expect(readTrainRows(file([{ anchor: 'a', positive: 'p' }, { anchor: 'a', positive: 'p', negative: 'n' }]), lossEntry('MultipleNegativesRankingLoss')))
      .rejects.toThrow(/line 2: the "negative" column is not supported yet for this loss/);
  });

  test('a row that is not an object', async () => {
    await expect(readTrainRows(file([{ anchor: 'a', positive: 'p' }, ['a', 'p']]), lossEntry('MultipleNegativesRankingLoss')))
      .rejects.toThrow(/invalid row in ".*rows.jsonl" line 2: expected an object with "anchor", "positive", got \["a","p"\]/);
  });
});
