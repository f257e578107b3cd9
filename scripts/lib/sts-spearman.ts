// STS-B pairs and the Spearman correlation of cosine similarity with the gold scores, as
// sentence-transformers' EmbeddingSimilarityEvaluator reports it (scipy's spearmanr: average ranks for ties).
import { readFileSync } from 'node:fs';

export interface StsPair { s1: string; s2: string; score: number }

/** STS-B's tab-separated files (genre, file, year, id, score, sentence1, sentence2[, source columns]). */
export function readStsPairs(path: string): StsPair[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => {
    const cells = line.split('\t');
    return { score: Number(cells[4]), s1: cells[5]!, s2: cells[6]! };
  });
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    for (let k = i; k <= j; k++) out[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((s, a) => s + a, 0) / v.length;
  const [mx, my] = [mean(x), mean(y)];
  let sxy = 0, sxx = 0, syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i]! - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(ranks(x), ranks(y));
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** Spearman of cos(embed(s1), embed(s2)) against the gold scores. */
export async function stsSpearman(pairs: readonly StsPair[], embed: (texts: string[]) => Promise<ArrayLike<number>[]>): Promise<number> {
  const texts = [...new Set(pairs.flatMap((p) => [p.s1, p.s2]))];
  const vectors = new Map<string, ArrayLike<number>>();
  for (let i = 0; i < texts.length; i += 64) {
    const batch = texts.slice(i, i + 64);
    (await embed(batch)).forEach((v, j) => vectors.set(batch[j]!, v));
  }
  return spearman(pairs.map((p) => cosine(vectors.get(p.s1)!, vectors.get(p.s2)!)), pairs.map((p) => p.score));
}
