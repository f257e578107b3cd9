// int8 weight storage: a float weight kept as int8 with one float32 scale per channel (symmetric,
// zero point 0) and read through DequantizeLinear, so a file is about 4× smaller and stays plain
// ai.onnx. foldDequantizeLinear (onnx/fold-dequantize-linear.ts) turns it back into float32 for training.
import { fail } from '../errors.js';
import { makeAttribute } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';
import type { Value } from './value.js';

export interface Int8Weights {
  q: Int8Array;
  /** One scale per index of `axis`: max |w| / 127 over that channel (1 for an all-zero channel). */
  scale: Float32Array;
}

/** q = round(w / scale) in [−127, 127], scale = max |w| / 127 per slice along `axis`. */
export function quantizeInt8(data: Float32Array, dims: readonly number[], axis: number): Int8Weights {
  if (!Number.isInteger(axis) || axis < 0 || axis >= dims.length) fail('graph', `int8 weights: axis: expected an integer in [0, ${dims.length}), got ${axis}`);
  const channels = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((n, d) => n * d, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const maxAbs = new Float32Array(channels);
  data.forEach((w, i) => {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(w));
  });
  const scale = maxAbs.map((m) => (m === 0 ? 1 : m / 127));
  const q = new Int8Array(data.length);
  data.forEach((w, i) => {
    q[i] = Math.max(-127, Math.min(127, Math.round(w / scale[channelOf(i)]!)));
  });
  return { q, scale };
}

/**
 * The weight `name` as DequantizeLinear(`name.quantized`, `name.scale`, axis): the node's output
 * carries the weight's own name, so folding it back gives the float32 initializer `name`.
 */
export function int8Weight(b: GraphBuilder, name: string, data: Float32Array, dims: readonly number[], axis: number): Value {
  const { q, scale } = quantizeInt8(data, dims, axis);
  const quantized = b.initializer(`${name}.quantized`, q, dims, 'int8');
  const scales = b.initializer(`${name}.scale`, scale, [scale.length], 'float32');
  const [out] = b.appendNode({
    opType: 'DequantizeLinear', domain: '', inputs: [quantized, scales], attributes: [makeAttribute('axis', 'int', axis)],
    outputTypes: ['float32'], outputNames: [name], name: 'DequantizeLinear',
  });
  out!.shape = [...dims];
  return out!;
}
