// Koch's pair head as a standalone model, for scoring pairs after training (`twinembed eval
// --head`): inputs `a`, `b` [batch, dim] (raw, unnormalized embeddings), output `logit` [batch] =
// w·|a − b| + b, the same formula the KochBCE loss trained (higher = more likely the same class).
import { fail } from '../errors.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { encodeModel } from '../onnx/proto.js';
import type { Tensor } from '../runtime/runtime.js';

/** The trained `head.weight` [1, dim] and `head.bias` [1] of a KochBCE train step → head.onnx bytes. */
export function exportPairHead(params: Readonly<Record<string, Tensor>>): Uint8Array {
  const weight = params['head.weight'];
  const bias = params['head.bias'];
  if (!weight || !bias) fail('train', `pair head: expected trained "head.weight" and "head.bias" (a KochBCE train step), got ${Object.keys(params).filter((k) => k.startsWith('head')).join(', ') || 'neither'}`);
  const dim = weight.dims[1];
  if (weight.dims.length !== 2 || weight.dims[0] !== 1 || dim === undefined || bias.dims.join(',') !== '1') {
    fail('train', `pair head: expected head.weight [1, dim] and head.bias [1], got [${weight.dims.join(', ')}] and [${bias.dims.join(', ')}]`);
  }
  const b = new GraphBuilder({ name: 'koch_pair_head' });
  const features = b.op.Abs(b.op.Sub(b.input('a', 'float32', ['batch', dim]), b.input('b', 'float32', ['batch', dim])));
  const w = b.initializer('head.weight', weight.data as Float32Array, [1, dim]);
  const logit = b.op.Add(b.op.MatMul(features, b.op.Transpose(w, { perm: [1, 0] })), b.initializer('head.bias', bias.data as Float32Array, [1]));
  b.output(b.op.Squeeze(logit, { axes: [1] }), 'logit');
  return encodeModel(b.toModel());
}
