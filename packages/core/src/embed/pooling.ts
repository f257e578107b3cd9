// Pooling and L2 normalization as graph ops, appended to an imported encoder so that one
// session run returns finished embeddings. Every mode reads the attention mask, so the same
// graph is right for right- and left-padded batches.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import type { Pooling } from './manifest.js';

/** Mask shifted one step along the sequence, the vacated column zero: first/last valid token = relu(m − shift(m)). */
function shifted(b: GraphBuilder, m: Value, direction: 'right' | 'left'): Value {
  const zeros = b.op.Mul(b.op.Slice(m, { starts: [0], ends: [1], axes: [1] }), b.scalar(0));
  return direction === 'right'
    ? b.op.Concat(zeros, b.op.Slice(m, { starts: [0], ends: [-1], axes: [1] }), { axis: 1 })
    : b.op.Concat(b.op.Slice(m, { starts: [1], ends: [2 ** 31 - 1], axes: [1] }), zeros, { axis: 1 });
}

/** Σ_s hidden[b, s, :] · w[b, s]: with one-hot weights this is an exact gather (x·0 = 0, x + 0 = x). */
function weightedSum(b: GraphBuilder, hidden: Value, w: Value): Value {
  return b.op.ReduceSum(b.op.Mul(hidden, b.op.Unsqueeze(w, { axes: [2] })), { axes: [1], keepdims: 0 });
}

const TOKEN_POOLS: Record<Exclude<Pooling, 'none'>, (b: GraphBuilder, hidden: Value, m: Value) => Value> = {
  // sentence-transformers: Σ h·m / clamp(Σ m, min=1e-9)
  mean: (b, hidden, m) => b.op.Div(weightedSum(b, hidden, m), b.op.Clip(b.op.ReduceSum(m, { axes: [1], keepdims: 1 }), { min: 1e-9 })),
  // sentence-transformers: h[m == 0] = −1e9, then max over the sequence
  max: (b, hidden, m) => {
    const valid = b.op.Unsqueeze(b.op.Greater(m, b.scalar(0)), { axes: [2] });
    return b.op.ReduceMax(b.op.Where(valid, hidden, b.scalar(-1e9)), { axes: [1], keepdims: 0 });
  },
  // the first valid token (index 0 when padded on the right)
  cls: (b, hidden, m) => weightedSum(b, hidden, b.op.Relu(b.op.Sub(m, shifted(b, m, 'right')))),
  // the last valid token (index S − 1 when padded on the left)
  last_token: (b, hidden, m) => weightedSum(b, hidden, b.op.Relu(b.op.Sub(m, shifted(b, m, 'left')))),
};

/**
 * sentence-transformers' include_prompt: false, `mask[:, :prompt_length] = 0`, counted in valid tokens
 * (cumsum of the mask) so that it is also right for left-padded rows: keep s when Σ_{t≤s} m_t > k.
 */
function withoutPrompt(b: GraphBuilder, m: Value, promptLength: Value): Value {
  const seen = b.op.CumSum(m, b.scalar(1, 'int64'));
  const k = b.op.Unsqueeze(b.op.Cast(promptLength, { to: 'float32' }), { axes: [1] });
  return b.op.Mul(m, b.op.Cast(b.op.Greater(seen, k), { to: 'float32' }));
}

/** Pooling modes that read the prompt-free mask; sentence-transformers' CLS is token 0 whatever the mask says. */
export const PROMPT_AWARE_POOLINGS: readonly Pooling[] = ['mean', 'max', 'last_token'];

/**
 * Pools `tensor` to one row per input: token pooling for [batch, seq, hidden], Flatten for `none`.
 * `promptLength` ([batch] int64): that many leading valid tokens are left out of the pooling mask.
 */
export function poolEmbedding(b: GraphBuilder, tensor: Value, pooling: Pooling, mask: Value | undefined, promptLength?: Value): Value {
  if (pooling === 'none') return tensor.shape?.length === 2 ? tensor : b.op.Flatten(tensor, { axis: 1 });
  if (tensor.shape && tensor.shape.length !== 3) fail('embed', `${pooling} pooling of "${tensor.name}": expected a [batch, sequence, hidden] tensor, got rank ${tensor.shape.length} (use pooling "none")`);
  if (!mask) return fail('embed', `${pooling} pooling needs an attention mask, and this model has no text input`);
  const m = b.op.Cast(mask, { to: 'float32' });
  return TOKEN_POOLS[pooling](b, tensor, promptLength && PROMPT_AWARE_POOLINGS.includes(pooling) ? withoutPrompt(b, m, promptLength) : m);
}

/** x / max(‖x‖₂, 1e-12) along the last axis of [batch, dim], as torch.nn.functional.normalize (axes ≥ 0: opsets before 11 reject negative ones; Clip rather than Max, which needs opset 8). */
export function l2Normalize(b: GraphBuilder, x: Value): Value {
  const norm = b.op.Sqrt(b.op.ReduceSum(b.op.Mul(x, x), { axes: [1], keepdims: 1 }));
  return b.op.Div(x, b.op.Clip(norm, { min: 1e-12 }));
}
