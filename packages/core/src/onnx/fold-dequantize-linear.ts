// DequantizeLinear of constant initializers → float32 initializers: a model stored with int8 weights
// (graph/int8-weights.ts, or any QDQ export) becomes trainable, its weights float32 parameters named
// as the node's output. The values are those DequantizeLinear computes: (q − zero point) · scale in float32.
import { fail } from '../errors.js';
import { readAttribute } from '../graph/attributes.js';
import type { ModelProto, NodeProto, TensorProto } from './proto.js';
import { elementCount, makeTensorProto, tensorDataType, tensorDims, tensorValues } from './tensor-proto.js';

const QUANTIZED = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32']);

/** The model with every foldable DequantizeLinear replaced by its float32 result (the input is not changed). */
export function foldDequantizeLinear(model: ModelProto): ModelProto {
  const graph = model.graph;
  if (!graph?.node?.some((n) => isDequantize(n))) return model;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const folded: TensorProto[] = [];
  const kept: NodeProto[] = [];
  for (const node of graph.node) {
    const tensor = isDequantize(node) ? fold(node, initializers) : undefined;
    if (tensor) folded.push(tensor);
    else kept.push(node);
  }
  if (folded.length === 0) return model;
  const read = new Set([...kept.flatMap((n) => n.input ?? []), ...(graph.output ?? []).map((o) => o.name ?? '')]);
  const initializer = [...(graph.initializer ?? []).filter((t) => read.has(t.name ?? '')), ...folded];
  return { ...model, graph: { ...graph, node: kept, initializer } };
}

function isDequantize(node: NodeProto): boolean {
  return node.opType === 'DequantizeLinear' && (node.domain ?? '') === '';
}

/** The folded tensor, or undefined when an input is computed (not an initializer) or the scale is not float32. */
function fold(node: NodeProto, initializers: ReadonlyMap<string, TensorProto>): TensorProto | undefined {
  const [q, scale, zero] = (node.input ?? []).map((name) => (name === '' ? undefined : initializers.get(name)));
  const hasZero = (node.input?.[2] ?? '') !== '';
  if (!q || !scale || (hasZero && !zero) || tensorDataType(scale) !== 'float32' || !QUANTIZED.has(tensorDataType(q))) return undefined;
  const where = `DequantizeLinear "${node.name ?? ''}" (output "${node.output?.[0]}")`;
  const blockSize = attribute(node, 'block_size');
  if (blockSize !== undefined && blockSize !== 0) fail('onnx', `${where}: blocked quantization (block_size ${blockSize}) cannot be folded: expected per-tensor or per-axis scales`);
  const dims = tensorDims(q);
  const scaleDims = tensorDims(scale);
  const perAxis = scaleDims.length === 1 && elementCount(scaleDims) > 1;
  const axis = perAxis ? normalizeAxis(attribute(node, 'axis') ?? 1, dims.length, where) : 0;
  if (perAxis && scaleDims[0] !== dims[axis]) fail('onnx', `${where}: expected ${dims[axis]} scales along axis ${axis}, got ${scaleDims[0]}`);
  const qs = tensorValues(q) as ArrayLike<number>;
  const scales = tensorValues(scale) as Float32Array;
  const zeros = zero ? (tensorValues(zero) as ArrayLike<number>) : undefined;
  const inner = perAxis ? dims.slice(axis + 1).reduce((n, d) => n * d, 1) : 1;
  const channels = perAxis ? dims[axis]! : 1;
  const out = new Float32Array(qs.length);
  for (let i = 0; i < qs.length; i++) {
    const c = perAxis ? Math.floor(i / inner) % channels : 0;
    out[i] = (qs[i]! - (zeros?.[c] ?? 0)) * scales[c]!;
  }
  return makeTensorProto(node.output![0]!, 'float32', dims, out);
}

function attribute(node: NodeProto, name: string): number | undefined {
  const found = node.attribute?.find((a) => a.name === name);
  return found ? Number(readAttribute(found)) : undefined;
}

function normalizeAxis(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail('onnx', `${where}: axis: expected a value in [−${rank}, ${rank}), got ${axis}`);
  return a;
}
