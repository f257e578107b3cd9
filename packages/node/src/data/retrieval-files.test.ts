import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { readIdTexts, readQrels } from './retrieval-files.js';

const newDir = tempDirs('retrieval-files');
function file(name: string, text: string): string {
  const path = join(newDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('retrieval files', () => {
  test('BEIR rows: _id or id, a title before the text', async () => {
    const corpus = '{"_id":"d1","title":"Paris","text":"is in France."}\n{"id":7,"text":"A number id.","title":""}\n';
    expect(await readIdTexts(file('corpus.jsonl', corpus))).toEqual([{ id: 'd1', text: 'Paris is in France.' }, { id: '7', text: 'A number id.' }]);
    await expect(readIdTexts(file('q.jsonl', '{"text":"no id"}\n'))).rejects.toThrow(/^\[twinembed:data\] ".*q\.jsonl" line 1: expected an id \("_id" or "id": a string or a number\), got none$/);
  });

  test('qrels as JSONL or BEIR TSV; score ≤ 0 is not relevant, no score is relevant', async () => {
    const want = new Map([['q1', new Set(['d1', 'd3'])], ['q2', new Set(['d2'])]]);
    const jsonl = '{"query-id":"q1","corpus-id":"d1","score":1}\n{"query-id":"q1","corpus-id":"d3"}\n{"query-id":"q2","corpus-id":"d2","score":2}\n{"query-id":"q2","corpus-id":"d9","score":0}\n';
    expect(await readQrels(file('qrels.jsonl', jsonl))).toEqual(want);
    const tsv = 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td3\t1\nq2\td2\t1\nq2\td9\t0\n';
    expect(await readQrels(file('test.tsv', tsv))).toEqual(want);
    await expect(readQrels(file('test.tsv', 'q1\td1\tyes\n'))).rejects.toThrow(/line 1: expected a numeric score, got "yes"$/);
    await expect(readQrels(file('test.tsv', 'q1\n'))).rejects.toThrow(/line 1: expected query-id, corpus-id and an optional score \(tab-separated\), got 1 fields$/);
    await expect(readQrels(file('test.tsv', 'q1\td1\t0\n'))).rejects.toThrow(/expected at least one judgment with a score > 0, got none$/);
  });
});
