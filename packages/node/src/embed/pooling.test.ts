// Fused pooling against a plain-JS oracle, with right- AND left-padded batches: every mode must
// read the mask, not assume where the padding is.
import { describe, expect, test } from 'vitest';
import { buildFusedModel, createTensor, encodeModel, GraphBuilder, type EmbedSpec, type Pooling } from '@twinembed/core';
import { nodeRuntime } from '../node-runtime.js';

/** A toy "encoder": hidden[b, s] = [id, 10 − id], so each token's vector names its id. */
function toyEncoder() {
  const b = new GraphBuilder();
  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  b.input('attention_mask', 'int64', ['batch', 'sequence']);
  const x = b.op.Unsqueeze(b.op.Cast(ids, { to: 'float32' }), { axes: [2] });
  b.output(b.op.Concat(x, b.op.Sub(b.scalar(10), x), { axis: 2 }), 'last_hidden_state');
  return b.toModel();
}

const ORACLE: Record<Exclude<Pooling, 'none'>, (tokens: number[][]) => number[]> = {
  mean: (t) => [0, 1].map((j) => t.reduce((s, v) => s + v[j]!, 0) / t.length),
  max: (t) => [0, 1].map((j) => Math.max(...t.map((v) => v[j]!))),
  cls: (t) => t[0]!,
  last_token: (t) => t[t.length - 1]!,
};

const POOLINGS_AND_SIDES = (['mean', 'max', 'cls', 'last_token'] as const).flatMap((p) => [[p, 'right'], [p, 'left']] as const);
const rows = [[3, 1, 4, 1, 5], [9, 2], [6, 5, 3]];

/** Runs the fused toy on `rows`, padded on `side` with pad id 7 (any leak into the result shows). */
async function runFused(pooling: Exclude<Pooling, 'none'>, side: 'right' | 'left', promptLengths?: number[]): Promise<{ got: number[]; inputs: string[] }> {
  const spec = { modality: 'text', ids: { name: 'input_ids', type: 'int64', shape: null }, mask: { name: 'attention_mask', type: 'int64', shape: null }, output: 'last_hidden_state', pooling, normalize: false, includePrompt: !promptLengths } as EmbedSpec;
  const fused = buildFusedModel(toyEncoder(), spec);
  const session = await nodeRuntime().createSession(encodeModel(fused.model));
  const S = 5;
  const ids = new BigInt64Array(rows.length * S).fill(7n);
  const mask = new BigInt64Array(rows.length * S);
  rows.forEach((row, r) => {
    const start = r * S + (side === 'left' ? S - row.length : 0);
    row.forEach((id, k) => { ids[start + k] = BigInt(id); mask[start + k] = 1n; });
  });
  const feeds = { input_ids: createTensor('int64', ids, [3, S]), attention_mask: createTensor('int64', mask, [3, S]) };
  if (fused.promptLength) Object.assign(feeds, { [fused.promptLength]: createTensor('int64', BigInt64Array.from(promptLengths!, BigInt), [3]) });
  const out = await session.run(feeds);
  const inputs = session.inputs.map((v) => v.name);
  await session.release();
  return { got: Array.from(out[fused.output]!.data as Float32Array), inputs };
}

const rounded = (values: number[]) => values.map((v) => Math.round(v * 1e5) / 1e5);

describe('fused pooling reads the mask', () => {
  test.each(POOLINGS_AND_SIDES)('%s, %s padding', async (pooling, side) => {
    const { got } = await runFused(pooling, side);
    expect(rounded(got)).toEqual(rounded(rows.flatMap((row) => ORACLE[pooling](row.map((id) => [id, 10 - id])))));
  });
});

describe('include_prompt: false leaves each row\'s first k valid tokens out of pooling', () => {
  const promptLengths = [2, 1, 2];
  test.each(POOLINGS_AND_SIDES)('%s, %s padding', async (pooling, side) => {
    const { got, inputs } = await runFused(pooling, side, promptLengths);
    // sentence-transformers zeroes mask[:, :k]; its CLS pooling takes token 0 whatever the mask says.
    const kept = (row: number[], r: number) => (pooling === 'cls' ? row : row.slice(promptLengths[r]));
    expect(rounded(got)).toEqual(rounded(rows.flatMap((row, r) => ORACLE[pooling](kept(row, r).map((id) => [id, 10 - id])))));
    expect(inputs.includes('prompt_length')).toBe(pooling !== 'cls');
  });
});
