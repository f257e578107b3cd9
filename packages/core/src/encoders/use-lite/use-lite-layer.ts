// One pre-norm transformer layer of USE lite, dense: the TF.js graph gathers the valid tokens,
// transforms them and scatters them back with zeros at padded positions; multiplying by the mask
// gives the same tensor. Attention is the graph's own: q scaled by the file's constant, padded keys −1e9.
import type { GraphBuilder } from '../../graph/graph-builder.js';
import type { Value } from '../../graph/value.js';
import type { UseLiteLayerWeights } from './use-lite-weights.js';

/** A weight by module path; int8 storage reads it through DequantizeLinear (channel axis `axis`). */
export type WeightFn = (path: string, data: Float32Array, dims: readonly number[], axis: number) => Value;

/** [rows, cols] → [cols, rows]. */
export function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * x · Wᵀ + b with W in PyTorch's [out, in] layout (the file's kernels are [in, out]), one scale per
 * output row when int8. Not DequantizeLinear(axis 1) → MatMul on [in, out]: onnxruntime ≥ 1.2x
 * rewrites that pattern into MatMulNBits, which computes with quantized activations (0.026 off on a
 * 512×512 check), so storage would change the arithmetic; DequantizeLinear → Transpose is left alone.
 */
export function dense(b: GraphBuilder, weight: WeightFn, path: string, x: Value, w: { kernel: Float32Array; bias: Float32Array }, rows: number, cols: number): Value {
  const matrix = weight(`${path}.weight`, transposed(w.kernel, rows, cols), [cols, rows], 0);
  return b.op.Add(b.op.MatMul(x, b.op.Transpose(matrix, { perm: [1, 0] })), b.param(`${path}.bias`, w.bias, [cols]));
}

export interface LayerInputs {
  /** [batch, seq, width], zero at padded positions. */
  x: Value;
  /** [batch, seq, 1] float 0/1. */
  mask: Value;
  /** [batch, 1, 1, seq]: 0 for tokens, the padding bias for padded keys. */
  keyBias: Value;
}

function norm(b: GraphBuilder, path: string, x: Value, w: { scale: Float32Array; bias: Float32Array }, epsilon: number): Value {
  const n = w.scale.length;
  return b.op.LayerNormalization(x, b.param(`${path}.scale`, w.scale, [n]), b.param(`${path}.bias`, w.bias, [n]), { axis: -1, epsilon })[0]!;
}

/** [batch, seq, width] → [batch, heads, seq, width / heads]. */
function splitHeads(b: GraphBuilder, x: Value, heads: number, size: number): Value {
  return b.op.Transpose(b.op.Reshape(x, b.int64s([0, 0, heads, size])), { perm: [0, 2, 1, 3] });
}

function attention(b: GraphBuilder, weight: WeightFn, path: string, h: Value, w: UseLiteLayerWeights, keyBias: Value): Value {
  const size = w.width / w.heads;
  const qkv = dense(b, weight, `${path}.qkv`, h, w.qkv, w.width, 3 * w.width);
  const [q, k, v] = b.op.Split(qkv, { axis: 2, split: [w.width, w.width, w.width] }).map((t) => splitHeads(b, t, w.heads, size));
  const scores = b.op.Add(b.op.MatMul(b.op.Mul(q!, b.scalar(w.queryScale)), b.op.Transpose(k!, { perm: [0, 1, 3, 2] })), keyBias);
  const context = b.op.MatMul(b.op.Softmax(scores, { axis: -1 }), v!);
  const merged = b.op.Reshape(b.op.Transpose(context, { perm: [0, 2, 1, 3] }), b.int64s([0, 0, w.width]));
  return dense(b, weight, `${path}.output`, merged, w.output, w.width, w.output.bias.length);
}

/** y = attention(LN(x)) + residual(x);  out = y + mask · FFN(LN(y)), FFN = conv2(relu(conv1(·))). */
export function useLiteLayer(b: GraphBuilder, weight: WeightFn, index: number, inputs: LayerInputs, w: UseLiteLayerWeights, epsilon: number): Value {
  const path = `layer.${index}`;
  const { x, mask } = inputs;
  const attended = attention(b, weight, `${path}.attention`, norm(b, `${path}.attention.layer_norm`, x, w.attentionNorm, epsilon), w, inputs.keyBias);
  const model = w.output.bias.length;
  const residual = w.residual ? b.op.Mul(dense(b, weight, `${path}.residual`, x, w.residual, w.width, model), mask) : x;
  const y = b.op.Add(attended, residual);
  const inner = w.conv1.bias.length;
  const hidden = b.op.Relu(dense(b, weight, `${path}.ffn.conv1`, norm(b, `${path}.ffn.layer_norm`, y, w.ffnNorm, epsilon), w.conv1, model, inner));
  const ffn = b.op.Mul(dense(b, weight, `${path}.ffn.conv2`, hidden, w.conv2, inner, model), mask);
  return b.op.Add(ffn, y);
}
