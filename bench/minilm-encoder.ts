// A MiniLM-L6-shaped BERT encoder (6 layers, hidden 384, 12 heads, FFN 1536, vocab 30522) with
// seeded random weights, built with twinembed's graph toolkit: the benchmark's model, same file for every peer.
import { GraphBuilder, layerNorm, linear, type Value } from '@twinembed/node';

export interface BertShape { layers: number; hidden: number; heads: number; intermediate: number; vocab: number; maxPositions: number }
export const MINILM_L6: BertShape = { layers: 6, hidden: 384, heads: 12, intermediate: 1536, vocab: 30522, maxPositions: 512 };

/** N(0, std²) numbers from a seeded mulberry32 + Box–Muller, so every run builds the same model. */
function normals(seed: number): (n: number, std: number, mean?: number) => Float32Array {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n, std, mean = 0) => Float32Array.from({ length: n }, () => mean + std * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()));
}

export function buildBertEncoder(shape: BertShape = MINILM_L6, seed = 42) {
  const b = new GraphBuilder({ name: 'minilm-shaped' });
  const rand = normals(seed);
  const { hidden: H, heads, intermediate: I } = shape;
  const headSize = H / heads;
  const dense = (scope: string, x: Value, inF: number, outF: number) =>
    b.scope(scope, () => linear(b, x, { weight: rand(outF * inF, 0.02), bias: rand(outF, 0.02), inFeatures: inF, outFeatures: outF }));
  const norm = (scope: string, x: Value) => b.scope(scope, () => layerNorm(b, x, { weight: rand(H, 0.05, 1), bias: rand(H, 0.02), epsilon: 1e-12 }));

  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  const mask = b.input('attention_mask', 'int64', ['batch', 'sequence']);
  const types = b.input('token_type_ids', 'int64', ['batch', 'sequence']);
  const length = b.op.Gather(b.op.Shape(ids), b.int64s([1]), { axis: 0 });
  const positions = b.op.Unsqueeze(b.op.Range(b.constant({ type: 'int64', dims: [], data: new BigInt64Array([0n]) }), b.op.Squeeze(length, { axes: [0] }), b.constant({ type: 'int64', dims: [], data: new BigInt64Array([1n]) })), { axes: [0] });
  const table = (name: string, rows: number) => b.param(name, rand(rows * H, 0.02), [rows, H]);
  let h = b.scope('embeddings', () => {
    const sum = b.op.Add(b.op.Add(b.op.Gather(table('word_embeddings.weight', shape.vocab), ids), b.op.Gather(table('position_embeddings.weight', shape.maxPositions), positions)), b.op.Gather(table('token_type_embeddings.weight', 2), types));
    return norm('LayerNorm', sum);
  });
  // (1 − mask) · −1e9 on [batch, 1, 1, seq]: exp underflows to exactly 0 for padded keys.
  const bias = b.op.Mul(b.op.Sub(b.scalar(1), b.op.Unsqueeze(b.op.Cast(mask, { to: 'float32' }), { axes: [1, 2] })), b.scalar(-1e9));
  const split = (x: Value, perm: number[]) => b.op.Transpose(b.op.Reshape(x, b.int64s([0, 0, heads, headSize])), { perm });
  for (let l = 0; l < shape.layers; l++) {
    h = b.scope(`encoder.layer.${l}`, () => {
      const q = split(dense('attention.self.query', h, H, H), [0, 2, 1, 3]);
      const k = split(dense('attention.self.key', h, H, H), [0, 2, 3, 1]);
      const v = split(dense('attention.self.value', h, H, H), [0, 2, 1, 3]);
      const probs = b.op.Softmax(b.op.Add(b.op.Mul(b.op.MatMul(q, k), b.scalar(1 / Math.sqrt(headSize))), bias), { axis: -1 });
      const context = b.op.Reshape(b.op.Transpose(b.op.MatMul(probs, v), { perm: [0, 2, 1, 3] }), b.int64s([0, 0, H]));
      const attended = norm('attention.output.LayerNorm', b.op.Add(dense('attention.output.dense', context, H, H), h));
      const up = dense('intermediate.dense', attended, H, I);
      const gelu = b.op.Mul(b.op.Mul(up, b.scalar(0.5)), b.op.Add(b.scalar(1), b.op.Erf(b.op.Mul(up, b.scalar(Math.SQRT1_2)))));
      return norm('output.LayerNorm', b.op.Add(dense('output.dense', gelu, I, H), attended));
    });
  }
  b.output(h, 'last_hidden_state');
  return b.toModel();
}
