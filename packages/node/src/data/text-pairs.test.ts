import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dataPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { readLabelledPairs, readScoredPairs } from './text-pairs.js';
import { readTriplets } from './text-triplets.js';

const newDir = tempDirs('text-pairs');
function file(name: string, text: string): string {
  const path = join(newDir(), name);
  writeFileSync(path, text);
  return path;
}

const STS = 'main-captions\tMSRvid\t2012test\t0001\t4.5\tA man plays.\tA man is playing.\nmain-news\theadlines\t2016\t0002\t1\tRain today.\tStocks fell.\tsource\tsource\n';

describe('readScoredPairs', () => {
  test('STS-B: score in column 5, sentences in 6 and 7, licence fields after them ignored', async () => {
    const got = await readScoredPairs(file('sts-dev.csv', STS));
    expect(got).toEqual({ format: 'sts', sentences1: ['A man plays.', 'Rain today.'], sentences2: ['A man is playing.', 'Stocks fell.'], scores: Float64Array.of(4.5, 1) });
  });

  test('SICK with and without its header; JSONL rows', async () => {
    const rows = '1\tA dog runs\tA dog is running\t4.8\tENTAILMENT\n2\tA cat sleeps\tA man cooks\t1.2\tNEUTRAL\n';
    const want = { format: 'sick', sentences1: ['A dog runs', 'A cat sleeps'], sentences2: ['A dog is running', 'A man cooks'], scores: Float64Array.of(4.8, 1.2) };
    expect(await readScoredPairs(file('SICK_train.txt', rows))).toEqual(want);
    // The full SICK.txt has more columns: the header names them.
    const header = 'pair_ID\tsentence_A\tsentence_B\tentailment_label\trelatedness_score\n';
    const reordered = '1\tA dog runs\tA dog is running\tENTAILMENT\t4.8\n2\tA cat sleeps\tA man cooks\tNEUTRAL\t1.2\n';
    expect(await readScoredPairs(file('SICK.txt', header + reordered))).toEqual(want);
    const jsonl = '{"sentence1":"A dog runs","sentence2":"A dog is running","score":4.8}\r\n\n{"sentence1":"A cat sleeps","sentence2":"A man cooks","score":1.2}\n';
    expect(await readScoredPairs(file('pairs.jsonl', jsonl))).toEqual({ ...want, format: 'jsonl' });
  });

  const bad: [string, string, string, RegExp][] = [
    ['a non-numeric score', 'a.csv', STS.replace('\t1\t', '\tone\t'), /^\[twinembed:data\] ".*a\.csv" line 2: expected a numeric score, got "one"$/],
    ['a missing column', 'a.csv', `${STS}x\ty\tz\t1\t3\tonly one\n`, /^\[twinembed:data\] ".*" line 3: expected 7 tab-separated fields \(STS-B: genre, file, year, id, score, sentence1, sentence2\), got 6$/],
    ['an empty file', 'a.csv', '\n\n', /^\[twinembed:data\] ".*a\.csv": expected at least one row, got an empty file$/],
    ['a JSONL row without a score', 'a.jsonl', '{"sentence1":"a","sentence2":"b"}\n', /^\[twinembed:data\] ".*" line 1: expected a numeric score, got none$/],
    ['a JSONL row without sentence2', 'a.jsonl', '{"sentence1":"a","score":1}\n', /^\[twinembed:data\] ".*" line 1: expected a "sentence2" string, got none$/],
    ['an empty sentence', 'a.jsonl', '{"sentence1":"a","sentence2":" ","score":1}\n', /line 1: expected two non-empty sentences, got "a" and " "$/],
    ['MRPC where scores are expected', 'm.txt', '1\t1\t2\tA b.\tA c.\n', /^\[twinembed:data\] ".*m\.txt" is MRPC \(detected\): expected sts, sick, jsonl here \(labelled pairs go to eval pairs\)$/],
    ['a format it cannot tell', 'x.txt', 'hello world\n', /^\[twinembed:data\] cannot tell the format of ".*x\.txt": expected STS-B .* \(name it with --format\)$/],
  ];
  test.each(bad)('%s is one line naming the file and line', async (_, name, text, message) => {
    await expect(readScoredPairs(file(name, text))).rejects.toThrow(message);
  });
});

describe('readLabelledPairs and readTriplets', () => {
  test('MRPC: a BOM and its header, Quality first', async () => {
    const text = '\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t10\t11\tHe left.\tHe went away.\n0\t12\t13\tIt rains.\tIt is sunny.\n';
    expect(await readLabelledPairs(file('msr_paraphrase_train.txt', text))).toEqual({ format: 'mrpc', sentences1: ['He left.', 'It rains.'], sentences2: ['He went away.', 'It is sunny.'], labels: Uint8Array.of(1, 0) });
    await expect(readLabelledPairs(file('p.jsonl', '{"sentence1":"a","sentence2":"b","label":2}\n'))).rejects.toThrow(/line 1: expected a label 0 or 1, got 2$/);
    await expect(readLabelledPairs(file('sts.csv', STS))).rejects.toThrow(/is STS \(detected\): expected mrpc, jsonl here \(scored pairs go to eval sts\)$/);
  });

  test('triplets from JSONL', async () => {
    const got = await readTriplets(file('t.jsonl', '{"anchor":"a","positive":"p","negative":"n"}\n{"anchor":"b","positive":"q","negative":"m"}\n'));
    expect(got).toEqual({ anchors: ['a', 'b'], positives: ['p', 'q'], negatives: ['n', 'm'] });
    await expect(readTriplets(file('t.jsonl', '{"anchor":"a","positive":"p"}\n'))).rejects.toThrow(/line 1: expected a "negative" string, got none$/);
  });
});

const hasData = existsSync(dataPath('sts')) && existsSync(dataPath('sick')) && existsSync(dataPath('mrpc'));
if (!hasData) describe.skip(`the shared STS-B, SICK and MRPC files: ${dataPath()}/sts, sick or mrpc is absent (set TWINEMBED_DATA)`, () => {});

describe.skipIf(!hasData)('the shared STS-B, SICK and MRPC files', () => {
  test('are detected and read whole', async () => {
    // Counts and first/last rows read off the files with cut/awk.
    const sts = await readScoredPairs(dataPath('sts', 'sts-dev.csv'));
    expect([sts.format, sts.scores.length, sts.scores[0], sts.sentences1[0], sts.sentences2[0], sts.scores[1499]]).toEqual(['sts', 1500, 5, 'A man with a hard hat is dancing.', 'A man wearing a hard hat is dancing.', 0]);
    const sick = await readScoredPairs(dataPath('sick', 'SICK_train.txt'));
    expect([sick.format, sick.scores.length, sick.scores[0], sick.sentences2[4499], sick.scores[4499]]).toEqual(['sick', 4500, 4.5, 'The woman with a knife is slicing a pepper', 1]);
    const mrpc = await readLabelledPairs(dataPath('mrpc', 'msr_paraphrase_train.txt'));
    expect([mrpc.format, mrpc.labels.length, mrpc.labels[0], mrpc.sentences1[0]!.slice(0, 6), mrpc.labels[4075]]).toEqual(['mrpc', 4076, 1, 'Amrozi', 0]);
  });
});
