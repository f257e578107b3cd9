// CoSENTLoss and AnglELoss against float64 NumPy transcriptions of sentence-transformers' formulas
// (scripts/loss-reference-cosent.py, whose hand-derived gradients it checks by central differences
// to 5e-10): loss and d loss / d embeddings on small batches (tied labels, all labels equal, the
// logsumexp's leading 0 the largest term, an odd size), the losses through the registry on
// bert-tiny-a against PyTorch's embeddings, and our autodiff against finite differences in float64.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  angleLoss, cosentLoss, createTensor, decodeModel, encodeModel, GraphBuilder, importModel, lossEntry, nodeRuntime, readSafetensors,
  type PairInputs, type Tensor, type Value,
} from '@twinembed/node';
import { backward } from '../packages/core/src/autodiff/backward.js';
import { checkGradients, gradCase } from '../packages/core/src/autodiff/gradient-check.js';
import { hasShared, REPO_ROOT, sharedPath } from './support/paths.js';

interface Case { name: string; similarity: 'cosine' | 'angle'; scale: number; x: number[][]; y: number[][]; labels: number[]; loss: number; gradX: number[][]; gradY: number[][] }
const reference = JSON.parse(readFileSync(`${REPO_ROOT}/test/fixtures/cosent-angle-reference.json`, 'utf8')) as { cases: Case[]; bertTinyA: Record<string, number> };
const lossOf = (c: Pick<Case, 'similarity' | 'scale'>) => (b: GraphBuilder, x: PairInputs) => (c.similarity === 'angle' ? angleLoss : cosentLoss)(b, x, { scale: c.scale });
const matrix = (rows: number[][]) => createTensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]);
const worst = (got: Float32Array, want: number[][]) => Math.max(...want.flat().map((w, i) => Math.abs(got[i]! - w)));
const largest = (want: number[][]) => Math.max(...want.flat().map(Math.abs));

async function lossAndGradients(c: Case): Promise<{ loss: number; gradX: Float32Array; gradY: Float32Array }> {
  const b = new GraphBuilder({ name: 'cosent' });
  const [x, y] = [b.input('x', 'float32', ['batch', c.x[0]!.length]), b.input('y', 'float32', ['batch', c.x[0]!.length])];
  const loss = lossOf(c)(b, { anchor: x, other: y, labels: b.input('labels', 'float32', ['batch']) });
  b.output(loss, 'loss');
  backward(b, { loss, wrt: [x, y] }).forEach((g, i) => b.output(g, i === 0 ? 'gradX' : 'gradY'));
  const session = await nodeRuntime().createSession(encodeModel(b.toModel()));
  const out = await session.run({ x: matrix(c.x), y: matrix(c.y), labels: createTensor('float32', Float32Array.from(c.labels), [c.labels.length]) });
  await session.release();
  return { loss: (out.loss!.data as Float32Array)[0]!, gradX: out.gradX!.data as Float32Array, gradY: out.gradY!.data as Float32Array };
}

// float32 from the same float32 inputs: each similarity carries a few float32 roundings (~1e-7),
// ×scale in the exponents, which logsumexp passes on. Worst seen: loss 1.7e-7 relative, gradients
// 7.2e-7 of their largest element. Bounds: 1e-6 and 2e-6.
describe('CoSENTLoss and AnglELoss = sentence-transformers formulas (float64 NumPy)', () => {
  test.each(reference.cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const ours = await lossAndGradients(c);
    if (process.env.TWINEMBED_REPORT) console.log(`${c.name}: loss ${Math.abs(ours.loss - c.loss).toExponential(2)}, grad ${(Math.max(worst(ours.gradX, c.gradX), worst(ours.gradY, c.gradY)) / Math.max(largest(c.gradX), largest(c.gradY), 1e-30)).toExponential(2)}`);
    if (c.loss === 0) { // all labels equal: only the leading 0 is left, the loss and every gradient are exactly 0
      expect(ours.loss).toBe(0);
      expect([...ours.gradX, ...ours.gradY].every((g) => g === 0)).toBe(true);
      return;
    }
    expect(Math.abs(ours.loss - c.loss)).toBeLessThan(1e-6 * Math.max(1, Math.abs(c.loss)));
    const scale = Math.max(largest(c.gradX), largest(c.gradY));
    expect(worst(ours.gradX, c.gradX)).toBeLessThan(2e-6 * scale);
    expect(worst(ours.gradY, c.gradY)).toBeLessThan(2e-6 * scale);
  });

  test('the leading 0 is the largest term where the labels follow the similarities, and it changes the loss', () => {
    const c = reference.cases.find((k) => k.name.includes('leading 0 largest'))!;
    const cos = c.x.map((x, i) => {
      const y = c.y[i]!;
      const dot = x.reduce((s, v, k) => s + v * y[k]!, 0);
      return dot / Math.hypot(...x) / Math.hypot(...y);
    });
    const kept = cos.flatMap((si, i) => cos.map((sj, j) => (c.labels[i]! < c.labels[j]! ? c.scale * (si - sj) : Number.NaN))).filter((t) => !Number.isNaN(t));
    expect(kept.length).toBe(15);
    expect(Math.max(...kept)).toBeLessThan(0);
    const withoutZero = Math.log(kept.reduce((s, t) => s + Math.exp(t), 0));
    expect(Math.abs(c.loss - withoutZero)).toBeGreaterThan(0.1);
  });
});

describe.skipIf(!hasShared)('CoSENTLoss and AnglELoss on bert-tiny-a = NumPy on PyTorch\'s embeddings', () => {
  const fixture = (f: string) => readFileSync(sharedPath('fixtures', 'bert-tiny-a', f));
  let results: Record<string, number> = {};

  beforeAll(async () => {
    const { sentences } = JSON.parse(fixture('sentences.json').toString()) as { sentences: string[] };
    const { pairs } = JSON.parse(fixture('batches.json').toString()) as { pairs: { a: string[]; b: string[]; score: number[] } };
    const b = importModel(decodeModel(fixture('model.dynamo.onnx')));
    const mask = b.op.Unsqueeze(b.op.Cast(b.value('attention_mask'), { to: 'float32' }), { axes: [-1] });
    const summed = b.op.ReduceSum(b.op.Mul(b.value('last_hidden_state'), mask), { axes: [1], keepdims: 0 });
    const mean = b.op.Div(summed, b.op.Max(b.op.ReduceSum(mask, { axes: [1], keepdims: 0 }), 1e-9));
    const rows = (texts: string[]) => b.op.Gather(mean, b.int64s(texts.map((t) => sentences.indexOf(t))), { axis: 0 });
    const inputs = { anchor: rows(pairs.a), other: rows(pairs.b), labels: b.input('scores', 'float32', [pairs.score.length]) };
    b.outputs.length = 0;
    for (const name of Object.keys(reference.bertTinyA)) b.output((lossEntry(name).build as (b: GraphBuilder, x: PairInputs, o: object) => Value)(b, inputs, {}), name);
    const feeds: Record<string, Tensor> = Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((n) => [n, readSafetensors(fixture('inputs.safetensors')).get(n)!]));
    feeds.scores = createTensor('float32', Float32Array.from(pairs.score), [pairs.score.length]);
    const session = await nodeRuntime().createSession(encodeModel(b.toModel()));
    const out = await session.run(feeds);
    await session.release();
    results = Object.fromEntries(Object.keys(reference.bertTinyA).map((n) => [n, Number(out[n]!.data[0])]));
  });

  // Our BERT's pooled rows differ from PyTorch's by float32 rounding (~1e-7); worst seen 1.5e-7 relative.
  test.each(['CoSENTLoss', 'AnglELoss'])('%s (registry entry, default scale 20)', (name) => {
    if (process.env.TWINEMBED_REPORT) console.log(`${name} ${results[name]} ${reference.bertTinyA[name]} rel ${(Math.abs(results[name]! - reference.bertTinyA[name]!) / reference.bertTinyA[name]!).toExponential(2)}`);
    expect(Math.abs(results[name]! - reference.bertTinyA[name]!) / reference.bertTinyA[name]!).toBeLessThan(1e-6);
  });
});

// Central differences in float64 (h = 1e-6): truncation ~h²·L‴ ≈ 1e-11 and round-off ~ε·|L|/h ≈ 1e-9;
// worst seen 1.9e-10 of the largest gradient. Bound: 1e-8.
describe('CoSENTLoss and AnglELoss gradients = finite differences (float64)', () => {
  const cases = reference.cases.filter((c) => c.loss !== 0 && !c.name.includes('scale 5'));
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const gc = gradCase<'anchor' | 'other' | 'labels'>({
      name: c.name, ops: [], inputs: { anchor: matrix(c.x), other: matrix(c.y), labels: createTensor('float32', Float32Array.from(c.labels), [c.labels.length]) },
      dims: { anchor: ['batch', c.x[0]!.length], other: ['batch', c.x[0]!.length] }, wrt: ['anchor', 'other'], // ('y' names the case's output)
      build: (b, v) => lossOf(c)(b, { anchor: v.anchor, other: v.other, labels: v.labels }),
    });
    const results = await checkGradients(nodeRuntime(), gc, 17);
    expect(results.map((r) => r.input)).toEqual(['anchor', 'other']);
    if (process.env.TWINEMBED_REPORT) console.log(`${c.name}: ${results.map((r) => r.error.toExponential(2)).join(' ')}`);
    for (const r of results) expect(r.error, `d/d${r.input}`).toBeLessThan(1e-8);
  });
});
