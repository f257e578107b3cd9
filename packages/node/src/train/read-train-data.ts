// A --data file as train rows: JSONL with the loss's sentence-transformers columns (read-train-rows),
// or, for a pair loss, a public pair file as data/text-pairs reads it: STS-B and SICK scores scaled
// onto [0, 1] (STS-B 0–5 → s/5 as sentence-transformers' STS example; SICK 1–5 → (s − 1)/4), MRPC
// labels 0/1 (as labels, or as scores for a loss that ranks scores).
import { fail, TwinembedError, type LossEntry } from '@twinembed/core';
import { detectFormat, readLabelledPairs, readScoredPairs, type PairFormat } from '../data/text-pairs.js';
import { openRegularFile, readRange } from '../read-regular-file.js';
import { readTrainRows, type TrainRows } from './read-train-rows.js';

export interface TrainData extends TrainRows {
  /** 'jsonl', or the pair file's format. */
  readonly format: PairFormat;
}

const SCALE: Partial<Record<PairFormat, (s: number) => number>> = { sts: (s) => s / 5, sick: (s) => (s - 1) / 4 };

export async function readTrainData(path: string, entry: Pick<LossEntry, 'kind' | 'columns'>): Promise<TrainData> {
  const format = pairFormat(path, await firstLine(path));
  if (format === 'jsonl') return { ...(await readTrainRows(path, entry)), format };
  const value = entry.columns.find((c) => c === 'score' || c === 'label');
  if (entry.kind !== 'pairs' || value === undefined) {
    fail('data', `"${path}" is ${format.toUpperCase()} sentence pairs: expected a pair loss (columns sentence1, sentence2, score or label), got one with columns ${entry.columns.join(', ')}`);
  }
  if (format === 'mrpc') {
    const pairs = await readLabelledPairs(path, { format });
    return rows(format, pairs.sentences1, pairs.sentences2, Array.from(pairs.labels), value);
  }
  if (value === 'label') fail('data', `"${path}" is ${format.toUpperCase()} (graded scores): expected a loss that takes a "score" (CoSENTLoss, AnglELoss, CosineSimilarityLoss), got one that takes 0/1 labels`);
  const pairs = await readScoredPairs(path, { format });
  return rows(format, pairs.sentences1, pairs.sentences2, Array.from(pairs.scores, SCALE[format]!), value);
}

function rows(format: PairFormat, sentences1: string[], sentences2: string[], values: number[], column: string): TrainData {
  return { format, count: values.length, texts: [sentences1, sentences2], labels: values, columns: ['sentence1', 'sentence2', column] };
}

/** JSONL unless the head is a pair file's; an unrecognized head is read as JSONL, whose errors say which line is wrong. */
function pairFormat(path: string, first: string | undefined): PairFormat {
  if (first === undefined || /\.jsonl?$/i.test(path) || first.trimStart().startsWith('{')) return 'jsonl';
  try {
    return detectFormat(path, first);
  } catch (error) {
    if (error instanceof TwinembedError) return 'jsonl';
    throw error;
  }
}

/** The first non-empty line (a BOM dropped), read from the file's head only; undefined for an empty head. */
async function firstLine(path: string): Promise<string | undefined> {
  const { handle: file } = await openRegularFile(path);
  try {
    const head = await readRange(file, 0, 4096);
    return Buffer.from(head.buffer, head.byteOffset, head.length).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '');
  } finally {
    await file.close();
  }
}
