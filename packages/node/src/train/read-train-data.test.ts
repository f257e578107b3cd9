import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lossEntry } from '@twinembed/core';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { readTrainData } from './read-train-data.js';

const newDir = tempDirs('train-data');
const file = (name: string, text: string) => {
  const path = join(newDir(), name);
  writeFileSync(path, text);
  return path;
};

describe('readTrainData', () => {
  test('STS-B and SICK scores on [0, 1]; MRPC labels as labels or as scores; JSONL as read-train-rows', async () => {
    const sts = file('sts-train.csv', 'main-captions\tMSRvid\t2012test\t0001\t5.000\tA plane is taking off.\tAn air plane is taking off.\nmain-forums\tx\t2014\t0002\t1.250\tA cat.\tA dog runs.\n');
    expect(await readTrainData(sts, lossEntry('CoSENTLoss'))).toEqual({
      format: 'sts', count: 2, texts: [['A plane is taking off.', 'A cat.'], ['An air plane is taking off.', 'A dog runs.']], labels: [1, 0.25], columns: ['sentence1', 'sentence2', 'score'],
    });
    const sick = file('SICK_train.txt', 'pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n1\tA b\tC d\t4.5\tNEUTRAL\n2\tE f\tG h\t1\tCONTRADICTION\n');
    expect((await readTrainData(sick, lossEntry('AnglELoss'))).labels).toEqual([0.875, 0]);
    const mrpc = file('msr_paraphrase_train.txt', '\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tA b.\tA b!\n0\t3\t4\tC d.\tE f.\n');
    expect(await readTrainData(mrpc, lossEntry('ContrastiveLoss'))).toMatchObject({ format: 'mrpc', labels: [1, 0], columns: ['sentence1', 'sentence2', 'label'] });
    expect(await readTrainData(mrpc, lossEntry('CoSENTLoss'))).toMatchObject({ format: 'mrpc', labels: [1, 0], columns: ['sentence1', 'sentence2', 'score'] });
    const rows = file('rows.txt', '{"sentence1": "a", "sentence2": "b", "score": 0.3}\n');
    expect(await readTrainData(rows, lossEntry('CoSENTLoss'))).toEqual({ format: 'jsonl', count: 1, texts: [['a'], ['b']], labels: [0.3], columns: ['sentence1', 'sentence2', 'score'] });
  });

  test('a pair file for a loss that is not a pair loss, graded scores for a 0/1 label loss, and an unknown head', async () => {
    const sts = file('sts.csv', 'g\tf\t2012\t1\t4.0\tA.\tB.\n');
    await expect(readTrainData(sts, lossEntry('MultipleNegativesRankingLoss'))).rejects.toThrow(/"\S+sts.csv" is STS sentence pairs: expected a pair loss \(columns sentence1, sentence2, score or label\), got one with columns anchor, positive, negative\?/);
    await expect(readTrainData(sts, lossEntry('ContrastiveLoss'))).rejects.toThrow(/is STS \(graded scores\): expected a loss that takes a "score" \(CoSENTLoss, AnglELoss, CosineSimilarityLoss\), got one that takes 0\/1 labels/);
    await expect(readTrainData(file('notes.txt', 'hello there\n'), lossEntry('CoSENTLoss'))).rejects.toThrow(/cannot parse ".*notes.txt" line 1: expected one JSON value per line/);
  });
});
