// Files for `eval retrieval`, in BEIR's layout: queries and corpus as JSONL rows {"_id" or "id",
// "text"} (a corpus "title" goes before its text), and relevance judgments (qrels) as JSONL
// {"query-id", "corpus-id", "score"?} rows or BEIR's tab-separated query-id, corpus-id, score.
import { fail } from '@twinembed/core';
import { jsonRow, readLines } from './text-pairs.js';

export interface IdText { id: string; text: string }

function idOf(row: Record<string, unknown>, keys: readonly string[], path: string, line: number): string {
  const key = keys.find((k) => k in row);
  const id = key === undefined ? undefined : row[key];
  if (typeof id === 'string' ? id === '' : !(typeof id === 'number' && Number.isFinite(id))) {
    fail('data', `"${path}" line ${line}: expected an id (${keys.map((k) => `"${k}"`).join(' or ')}: a string or a number), got ${JSON.stringify(id) ?? 'none'}`);
  }
  return String(id);
}

/** Queries or corpus documents. Corpus text is "title text" when a row has a non-empty title, as BEIR is usually read. */
export async function readIdTexts(path: string): Promise<IdText[]> {
  return (await readLines(path)).map((l) => {
    const row = jsonRow(path, l, ['text'], '{"_id" or "id", "text"}');
    const title = typeof row.title === 'string' ? row.title.trim() : '';
    const text = title === '' ? (row.text as string) : `${title} ${row.text as string}`;
    if (text.trim() === '') fail('data', `"${path}" line ${l.line}: expected a non-empty "text", got ""`);
    return { id: idOf(row, ['_id', 'id'], path, l.line), text };
  });
}

const QUERY_KEYS = ['query-id', 'query_id', 'qid'];
const CORPUS_KEYS = ['corpus-id', 'corpus_id', 'doc_id', 'docid'];

/** Query id → relevant corpus ids; a judgment with score ≤ 0 is not relevant. */
export async function readQrels(path: string): Promise<Map<string, Set<string>>> {
  const lines = await readLines(path);
  const jsonl = /\.jsonl?$/i.test(path) || lines[0]!.text.trimStart().startsWith('{');
  const rows = jsonl ? lines.map((l) => jsonQrel(path, l)) : tsvQrels(path, lines);
  const out = new Map<string, Set<string>>();
  for (const { query, doc, score } of rows) {
    if (score <= 0) continue;
    const docs = out.get(query) ?? new Set<string>();
    out.set(query, docs.add(doc));
  }
  if (out.size === 0) fail('data', `"${path}": expected at least one judgment with a score > 0, got none`);
  return out;
}

interface Qrel { query: string; doc: string; score: number }

function checkScore(score: unknown, path: string, line: number): number {
  const value = score === undefined ? 1 : typeof score === 'string' && score.trim() !== '' ? Number(score) : score;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail('data', `"${path}" line ${line}: expected a numeric score, got ${JSON.stringify(score)}`);
  return value;
}

function jsonQrel(path: string, l: { line: number; text: string }): Qrel {
  const row = jsonRow(path, l, [], '{"query-id", "corpus-id", "score"}');
  return { query: idOf(row, QUERY_KEYS, path, l.line), doc: idOf(row, CORPUS_KEYS, path, l.line), score: checkScore(row.score, path, l.line) };
}

function tsvQrels(path: string, lines: { line: number; text: string }[]): Qrel[] {
  const header = QUERY_KEYS.includes(lines[0]!.text.split('\t')[0]!.trim());
  return lines.slice(header ? 1 : 0).map(({ line, text }) => {
    const f = text.split('\t').map((s) => s.trim());
    if (f.length < 2 || f.length > 3 || f[0] === '' || f[1] === '') fail('data', `"${path}" line ${line}: expected query-id, corpus-id and an optional score (tab-separated), got ${f.length} fields`);
    return { query: f[0]!, doc: f[1]!, score: checkScore(f[2], path, line) };
  });
}
