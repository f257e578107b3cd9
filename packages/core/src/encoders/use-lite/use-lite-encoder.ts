// Universal Sentence Encoder lite rebuilt as a twinembed graph from its TF.js weights: dense
// `input_ids` + `attention_mask` in (the TF.js graph's sparse indices/values rebuilt by
// SparseToDense compute the same), the finished sentence embedding out, pooling included:
// tokens past 128 dropped → 2·embedding + sin/cos position signal → 2 pre-norm layers (256 → 512)
// → masked mean → dense tanh → L2 normalization. Parameters are named by module path.
import { GraphBuilder } from '../../graph/graph-builder.js';
import { int8Weight } from '../../graph/int8-weights.js';
import type { Value } from '../../graph/value.js';
import { dense, useLiteLayer, type WeightFn } from './use-lite-layer.js';
import type { UseLiteWeights } from './use-lite-weights.js';

/** The TF.js graph's ClipToMaxLength: token positions ≥ 128 are dropped. */
export const USE_LITE_MAX_LENGTH = 128;

export interface UseLiteEncoderOptions {
  weights: UseLiteWeights;
  /** 'float32' (default), or 'int8': matrices as int8 with per-channel scales through DequantizeLinear. */
  storage?: 'float32' | 'int8';
}

/** concat(sin(p · τ), cos(p · τ)) for each token's position p, counted in valid tokens (so left padding works too). */
function timingSignal(b: GraphBuilder, mask2d: Value, timescales: Float32Array): Value {
  const position = b.op.Sub(b.op.CumSum(mask2d, b.scalar(1, 'int64')), b.scalar(1));
  const tau = b.constant({ type: 'float32', dims: [1, timescales.length], data: timescales });
  const angle = b.op.Mul(b.op.Unsqueeze(position, { axes: [2] }), tau);
  return b.op.Concat(b.op.Sin(angle), b.op.Cos(angle), { axis: 2 });
}

/** x · rsqrt(max(Σx², floor)), as tf.nn.l2_normalize. */
function l2Normalize(b: GraphBuilder, x: Value, floor: number): Value {
  return b.op.Div(x, b.op.Sqrt(b.op.Max(b.op.ReduceSum(b.op.Mul(x, x), { axes: [1], keepdims: 1 }), b.scalar(floor))));
}

/** Inputs `input_ids`, `attention_mask` ([batch, sequence] int64) → output `embedding` [batch, 512], unit length. */
export function useLiteEncoder(options: UseLiteEncoderOptions): GraphBuilder {
  const { weights: w, storage = 'float32' } = options;
  const b = new GraphBuilder({ name: 'universal-sentence-encoder-lite' });
  const weight: WeightFn = storage === 'int8' ? (path, data, dims, axis) => int8Weight(b, path, data, dims, axis) : (path, data, dims) => b.param(path, data, dims);
  const clip = (v: Value) => b.op.Slice(v, { starts: [0], ends: [USE_LITE_MAX_LENGTH], axes: [1] });
  const ids = clip(b.input('input_ids', 'int64', ['batch', 'sequence']));
  const mask2d = b.op.Cast(clip(b.input('attention_mask', 'int64', ['batch', 'sequence'])), { to: 'float32' });
  const mask = b.op.Unsqueeze(mask2d, { axes: [2] });
  const keyBias = b.op.Unsqueeze(b.op.Mul(b.op.Sub(b.scalar(1), mask2d), b.scalar(w.paddingBias)), { axes: [1, 2] });
  const table = weight('embeddings', w.embeddings, [w.vocabRows, w.embeddingWidth], 0);
  const embedded = b.op.Gather(table, ids, { axis: 0 });
  // The TF.js graph adds the token embedding twice: scatter(e) + scatter(gather(scatter(e)) + timing).
  let x = b.op.Mul(b.op.Add(embedded, b.op.Add(embedded, timingSignal(b, mask2d, w.timescales))), mask);
  w.layers.forEach((layer, i) => {
    x = useLiteLayer(b, weight, i, { x, mask, keyBias }, layer, w.epsilon);
  });
  const count = b.op.Max(b.op.ReduceSum(mask2d, { axes: [1], keepdims: 1 }), b.scalar(1));
  const mean = b.op.Div(b.op.ReduceSum(b.op.Mul(x, mask), { axes: [1], keepdims: 0 }), count);
  const hidden = b.op.Tanh(dense(b, weight, 'hidden', mean, w.hidden, w.hiddenWidth, w.hiddenWidth));
  b.output(l2Normalize(b, hidden, w.normFloor), 'embedding').shape ??= ['batch', w.hiddenWidth];
  return b;
}
