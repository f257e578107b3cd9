// Triplet files for `eval triplets`: JSONL rows {"anchor", "positive", "negative"}, as
// sentence-transformers' (anchor, positive, negative) datasets name their columns.
import { fail } from '@twinembed/core';
import { jsonRow, readLines } from './text-pairs.js';

export interface TextTriplets { anchors: string[]; positives: string[]; negatives: string[] }

const COLUMNS = ['anchor', 'positive', 'negative'] as const;

export async function readTriplets(path: string): Promise<TextTriplets> {
  const out: TextTriplets = { anchors: [], positives: [], negatives: [] };
  for (const line of await readLines(path)) {
    const row = jsonRow(path, line, COLUMNS, '{"anchor", "positive", "negative"}');
    for (const key of COLUMNS) if ((row[key] as string).trim() === '') fail('data', `"${path}" line ${line.line}: expected a non-empty "${key}", got ""`);
    out.anchors.push(row.anchor as string);
    out.positives.push(row.positive as string);
    out.negatives.push(row.negative as string);
  }
  return out;
}
