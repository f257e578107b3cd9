// Sentence-pair files for the text evaluators: STS Benchmark (tab-separated, score in column 5),
// SICK (relatedness), MRPC (paraphrase label) and JSONL rows. Every line is checked, and a bad
// one is reported with its line number; the format is detected unless named.
import { fail } from '@twinembed/core';
import { readRegularText } from '../read-regular-file.js';

export type PairFormat = 'sts' | 'sick' | 'mrpc' | 'jsonl';
export const PAIR_FORMATS: readonly PairFormat[] = ['sts', 'sick', 'mrpc', 'jsonl'];

export interface ScoredPairs { format: PairFormat; sentences1: string[]; sentences2: string[]; scores: Float64Array }
export interface LabelledPairs { format: PairFormat; sentences1: string[]; sentences2: string[]; labels: Uint8Array }

export interface TextLine { line: number; text: string }

/** The non-empty lines of a UTF-8 file (a leading BOM dropped), with their 1-based numbers. */
export async function readLines(path: string): Promise<TextLine[]> {
  const text = await readRegularText(path);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).flatMap((t, i) => (t.trim() === '' ? [] : [{ line: i + 1, text: t }]));
  if (lines.length === 0) fail('data', `"${path}": expected at least one row, got an empty file`);
  return lines;
}

const SICK_JUDGMENTS = new Set(['ENTAILMENT', 'NEUTRAL', 'CONTRADICTION']);
const isNumber = (s: string | undefined) => s !== undefined && s.trim() !== '' && Number.isFinite(Number(s));

/** The format of a file from its name and first line: a header, or the shape of its fields. */
export function detectFormat(path: string, first: string): PairFormat {
  if (/\.jsonl?$/i.test(path) || first.trimStart().startsWith('{')) return 'jsonl';
  if (first.startsWith('pair_ID\t')) return 'sick';
  if (first.startsWith('Quality\t')) return 'mrpc';
  const f = first.split('\t');
  if (f.length >= 7 && isNumber(f[4])) return 'sts';
  if (f.length >= 5 && SICK_JUDGMENTS.has(f[4]!.trim())) return 'sick';
  if (f.length === 5 && (f[0] === '0' || f[0] === '1') && isNumber(f[1]) && isNumber(f[2])) return 'mrpc';
  return fail('data', `cannot tell the format of "${path}": expected STS-B (genre, file, year, id, score, sentence1, sentence2), SICK, MRPC (tab-separated) or JSONL rows, got ${JSON.stringify(first.slice(0, 60))} (name it with --format)`);
}

interface Columns { first: number; second: number; value: number; fields: number; describe: string }

/** Fixed columns per format; SICK's header, when present, names them (SICK.txt has more columns than the split files). */
function columnsOf(format: Exclude<PairFormat, 'jsonl'>, header: string[] | undefined): Columns {
  if (format === 'sts') return { first: 5, second: 6, value: 4, fields: 7, describe: 'STS-B: genre, file, year, id, score, sentence1, sentence2' };
  if (format === 'mrpc') return { first: 3, second: 4, value: 0, fields: 5, describe: 'MRPC: Quality, #1 ID, #2 ID, #1 String, #2 String' };
  const at = (name: string, fallback: number) => (header ? header.indexOf(name) : fallback);
  const [first, second, value] = [at('sentence_A', 1), at('sentence_B', 2), at('relatedness_score', 3)];
  if ([first, second, value].includes(-1)) fail('data', `SICK header: expected sentence_A, sentence_B and relatedness_score columns, got ${header!.join(', ')}`);
  return { first, second, value, fields: Math.max(first, second, value) + 1, describe: 'SICK: pair_ID, sentence_A, sentence_B, relatedness_score' };
}

interface RawPair { line: number; first: string; second: string; value: string | number | undefined }

function tsvPairs(path: string, format: Exclude<PairFormat, 'jsonl'>, lines: TextLine[]): RawPair[] {
  const hasHeader = (format === 'sick' && lines[0]!.text.startsWith('pair_ID\t')) || (format === 'mrpc' && lines[0]!.text.startsWith('Quality\t'));
  const columns = columnsOf(format, hasHeader ? lines[0]!.text.split('\t') : undefined);
  return lines.slice(hasHeader ? 1 : 0).map(({ line, text }) => {
    const f = text.split('\t');
    if (f.length < columns.fields) fail('data', `"${path}" line ${line}: expected ${columns.fields} tab-separated fields (${columns.describe}), got ${f.length}`);
    return { line, first: f[columns.first]!, second: f[columns.second]!, value: f[columns.value]!.trim() };
  });
}

/** One JSONL line as an object whose `strings` are strings; `expected` describes the row in errors. */
export function jsonRow(path: string, { line, text }: TextLine, strings: readonly string[], expected: string): Record<string, unknown> {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (cause) {
    fail('data', `"${path}" line ${line}: expected a JSON object ${expected}, got text that does not parse (${(cause as Error).message})`, cause);
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) fail('data', `"${path}" line ${line}: expected a JSON object ${expected}, got ${text.slice(0, 60)}`);
  const r = row as Record<string, unknown>;
  for (const key of strings) if (typeof r[key] !== 'string') fail('data', `"${path}" line ${line}: expected a "${key}" string, got ${JSON.stringify(r[key])?.slice(0, 40) ?? 'none'}`);
  return r;
}

function jsonlPairs(path: string, lines: TextLine[], valueKey: 'score' | 'label'): RawPair[] {
  return lines.map((l) => {
    const r = jsonRow(path, l, ['sentence1', 'sentence2'], `{"sentence1", "sentence2", "${valueKey}"}`);
    return { line: l.line, first: r.sentence1 as string, second: r.sentence2 as string, value: r[valueKey] as string | number | undefined };
  });
}

async function rawPairs(path: string, format: PairFormat | undefined, allowed: readonly PairFormat[], valueKey: 'score' | 'label'): Promise<{ format: PairFormat; pairs: RawPair[] }> {
  const lines = await readLines(path);
  const found = format ?? detectFormat(path, lines[0]!.text);
  if (!allowed.includes(found)) fail('data', `"${path}" is ${found.toUpperCase()}${format ? '' : ' (detected)'}: expected ${allowed.join(', ')} here${found === 'mrpc' ? ' (labelled pairs go to eval pairs)' : ' (scored pairs go to eval sts)'}`);
  const pairs = found === 'jsonl' ? jsonlPairs(path, lines, valueKey) : tsvPairs(path, found, lines);
  for (const p of pairs) {
    if (p.first.trim() === '' || p.second.trim() === '') fail('data', `"${path}" line ${p.line}: expected two non-empty sentences, got ${JSON.stringify(p.first.slice(0, 30))} and ${JSON.stringify(p.second.slice(0, 30))}`);
  }
  if (pairs.length === 0) fail('data', `"${path}": expected at least one pair, got only a header`);
  return { format: found, pairs };
}

/** Pairs with a gold similarity: STS-B, SICK (relatedness) or JSONL {"sentence1", "sentence2", "score"}. */
export async function readScoredPairs(path: string, options: { format?: PairFormat } = {}): Promise<ScoredPairs> {
  const { format, pairs } = await rawPairs(path, options.format, ['sts', 'sick', 'jsonl'], 'score');
  const scores = Float64Array.from(pairs, ({ line, value }) => {
    const score = typeof value === 'number' ? value : typeof value === 'string' && isNumber(value) ? Number(value) : NaN;
    if (!Number.isFinite(score)) fail('data', `"${path}" line ${line}: expected a numeric score, got ${JSON.stringify(value) ?? 'none'}`);
    return score;
  });
  return { format, sentences1: pairs.map((p) => p.first), sentences2: pairs.map((p) => p.second), scores };
}

/** Pairs labelled 1 (same meaning) or 0: MRPC or JSONL {"sentence1", "sentence2", "label"}. */
export async function readLabelledPairs(path: string, options: { format?: PairFormat } = {}): Promise<LabelledPairs> {
  const { format, pairs } = await rawPairs(path, options.format, ['mrpc', 'jsonl'], 'label');
  const labels = Uint8Array.from(pairs, ({ line, value }) => {
    if (value !== 0 && value !== 1 && value !== '0' && value !== '1') fail('data', `"${path}" line ${line}: expected a label 0 or 1, got ${JSON.stringify(value) ?? 'none'}`);
    return Number(value);
  });
  return { format, sentences1: pairs.map((p) => p.first), sentences2: pairs.map((p) => p.second), labels };
}
