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

describe('fused pooling reads the mask', () => {
  const rows = [[3, 1, 4, 1, 5], [9, 2], [6, 5, 3]];
  test.each((['mean', 'max', 'cls', 'last_token'] as const).flatMap((p) => [[p, 'right'], [p, 'left']] as const))('%s, %s padding', async (pooling, side) => {
    const spec = { modality: 'text', ids: { name: 'input_ids', type: 'int64', shape: null }, mask: { name: 'attention_mask', type: 'int64', shape: null }, output: 'last_hidden_state', pooling, normalize: false } as EmbedSpec;
    const fused = buildFusedModel(toyEncoder(), spec);
    const session = await nodeRuntime().createSession(encodeModel(fused.model));
    const S = 5;
    const ids = new BigInt64Array(rows.length * S).fill(7n); // pad id 7: any leak into the result shows
    const mask = new BigInt64Array(rows.length * S);
    rows.forEach((row, r) => {
      const start = r * S + (side === 'left' ? S - row.length : 0);
      row.forEach((id, k) => { ids[start + k] = BigInt(id); mask[start + k] = 1n; });
    });
    const out = await session.run({ input_ids: createTensor('int64', ids, [3, S]), attention_mask: createTensor('int64', mask, [3, S]) });
    const got = Array.from(out[fused.output]!.data as Float32Array);
    const want = rows.flatMap((row) => ORACLE[pooling](row.map((id) => [id, 10 - id])));
    expect(got.map((v) => Math.round(v * 1e5) / 1e5)).toEqual(want.map((v) => Math.round(v * 1e5) / 1e5));
    await session.release();
  });
});
