// A fine-tuning JSONL file → texts per branch and labels, by the loss's sentence-transformers
// columns (lossEntry(name).columns). Every row is checked before any work, with its line number.
import { fail, type LossEntry } from '@twinembed/core';
import { readJsonl } from '../vectors-file.js';

export interface TrainRows {
  readonly count: number;
  /** One list of texts per text column, in the loss's column order (= the train step's roles). */
  readonly texts: readonly (readonly string[])[];
  /** The label or score column, when the loss has one. */
  readonly labels?: readonly number[];
  /** The columns read, in order: the text columns, then the label column. */
  readonly columns: readonly string[];
}

const LABEL_COLUMNS = new Set(['label', 'score']);

export async function readTrainRows(path: string, entry: Pick<LossEntry, 'kind' | 'columns'>): Promise<TrainRows> {
  const required = entry.columns.filter((c) => !c.endsWith('?'));
  const unsupported = entry.columns.filter((c) => c.endsWith('?')).map((c) => c.slice(0, -1));
  const textColumns = required.filter((c) => !LABEL_COLUMNS.has(c));
  const labelColumn = required.find((c) => LABEL_COLUMNS.has(c));
  const texts = textColumns.map(() => [] as string[]);
  const labels: number[] = [];
  for (const { line, value } of await readJsonl(path)) {
    const where = `"${path}" line ${line}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('io', `invalid row in ${where}: expected an object with ${required.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(value)?.slice(0, 40)}`);
    const row = value as Record<string, unknown>;
    const extra = unsupported.find((c) => c in row);
    // Hard negatives would change the loss; the train step has no branch for them yet, so refuse rather than drop them.
    if (extra !== undefined) fail('io', `invalid row in ${where}: the "${extra}" column is not supported yet for this loss, expected only ${required.map((c) => `"${c}"`).join(', ')}`);
    textColumns.forEach((c, i) => {
      const text = row[c];
      if (typeof text !== 'string' || text === '') fail('io', `invalid row in ${where}: expected a non-empty "${c}" string, got ${JSON.stringify(text)?.slice(0, 40)}`);
      texts[i]!.push(text);
    });
    if (labelColumn !== undefined) labels.push(checkLabel(row[labelColumn], labelColumn, entry.kind === 'labeled', where));
  }
  return { count: texts[0]!.length, texts, ...(labelColumn ? { labels } : {}), columns: labelColumn ? [...textColumns, labelColumn] : textColumns };
}

function checkLabel(value: unknown, column: string, integer: boolean, where: string): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isSafeInteger(value));
  if (!ok) fail('io', `invalid row in ${where}: expected "${column}" to be ${integer ? 'an integer class' : 'a finite number'}, got ${JSON.stringify(value)?.slice(0, 40)}`);
  return value as number;
}
