// Gradient rules for neural-network layers: softmax, layer normalization (recomputing the
// normalized input rather than trusting optional Mean/InvStdDev outputs), convolution and max pooling.
import { fail } from '../../errors.js';
import type { Value } from '../../graph/value.js';
import type { DataType } from '../../onnx/data-type.js';
import type { GradContext, RuleTable } from '../grad-rule.js';
import { zerosOfSize } from './shape.js';

function softmaxAxis(c: GradContext): number {
  const axis = c.attr('axis', c.b.opset >= 13 ? -1 : 1);
  if (c.b.opset < 13 && axis !== -1) fail('autodiff', `${c.node.opType} node "${c.node.name}": before opset 13 only axis -1 is differentiated, got axis ${axis}`);
  return axis;
}

function layerNorm(c: GradContext) {
  const { b, dy } = c;
  const [x, gamma] = c.x as Value[];
  if (c.dys.slice(1).some((g) => g !== null)) fail('autodiff', `LayerNormalization node "${c.node.name}": gradients through its Mean/InvStdDev outputs are not supported`);
  const axis = c.attr('axis', -1);
  const rank = axis < 0 ? -axis : c.shapeOf(x!)?.length;
  if (rank === undefined) fail('autodiff', `LayerNormalization node "${c.node.name}": axis ${axis} ≥ 0 needs x's rank, which is unknown`);
  const axes = axis < 0 ? Array.from({ length: -axis }, (_, i) => axis + i) : Array.from({ length: rank - axis }, (_, i) => axis + i);
  const mean = (v: Value) => b.op.ReduceMean(v, { axes, keepdims: 1 });
  const centered = b.op.Sub(x!, mean(x!));
  const inv = b.op.Reciprocal(b.op.Sqrt(b.op.Add(mean(b.op.Mul(centered, centered)), c.attr('epsilon', 1e-5))));
  const xhat = b.op.Mul(centered, inv);
  const g = b.op.Mul(dy, gamma!);
  return [
    () => b.op.Mul(inv, b.op.Sub(b.op.Sub(g, mean(g)), b.op.Mul(xhat, mean(b.op.Mul(g, xhat))))),
    () => c.unbroadcast(b.op.Mul(dy, xhat), 1),
    () => c.unbroadcast(dy, 2),
  ];
}

interface ConvGeometry { n: number; strides: number[]; dilations: number[]; pads: number[] }

function convGeometry(c: GradContext): ConvGeometry {
  const w = c.x[1]!;
  const n = (c.shapeOf(w)?.length ?? c.attr<number[]>('kernel_shape', []).length + 2) - 2;
  if (n < 1) fail('autodiff', `Conv node "${c.node.name}": the weight's rank is unknown (no shape, no kernel_shape)`);
  const autoPad = c.attr('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') fail('autodiff', `Conv node "${c.node.name}": auto_pad ${autoPad} is not differentiated, expected NOTSET or VALID (explicit pads)`);
  const ones = Array<number>(n).fill(1);
  return { n, strides: c.attr('strides', ones), dilations: c.attr('dilations', ones), pads: c.attr('pads', Array<number>(2 * n).fill(0)) };
}

/** ConvTranspose's output_padding that restores x's spatial size (0 for stride 1; needs static sizes otherwise). */
function outputPadding(c: GradContext, geo: ConvGeometry): number[] {
  const x = c.x[0]!;
  const kernel = c.shapeOf(c.x[1]!)?.slice(2) ?? c.attr<number[]>('kernel_shape', []);
  return geo.strides.map((s, i) => {
    if (s === 1) return 0;
    const size = c.shapeOf(x)?.[2 + i];
    const k = kernel[i];
    if (typeof size !== 'number' || typeof k !== 'number') fail('autodiff', `Conv node "${c.node.name}": stride ${s} needs x's static spatial size to invert, got ${c.shapeOf(x) ? `[${c.shapeOf(x)!.join(', ')}]` : 'an unknown shape'}`);
    const span = size + geo.pads[i]! + geo.pads[i + geo.n]! - geo.dilations[i]! * (k - 1) - 1;
    return span % s;
  });
}

function conv(c: GradContext) {
  const { b, dy } = c;
  const [x, w] = c.x as Value[];
  const geo = convGeometry(c);
  const group = c.attr('group', 1);
  const swap = [1, 0, ...Array.from({ length: geo.n }, (_, i) => i + 2)];
  const kernel = () => (c.shapeOf(w!)?.slice(2) as number[] | undefined) ?? c.attr<number[]>('kernel_shape', []);
  return [
    () => b.op.ConvTranspose(dy, w!, { strides: geo.strides, dilations: geo.dilations, pads: geo.pads, group, output_padding: outputPadding(c, geo) }),
    () => {
      if (group !== 1) fail('autodiff', `Conv node "${c.node.name}": the weight gradient supports group 1, got ${group}`);
      const full = b.op.Conv(b.op.Transpose(x!, { perm: swap }), b.op.Transpose(dy, { perm: swap }), { strides: geo.dilations, dilations: geo.strides, pads: geo.pads });
      const axes = Array.from({ length: geo.n }, (_, i) => i + 2);
      const cropped = b.op.Slice(full, { starts: axes.map(() => 0), ends: kernel(), axes });
      return b.op.Transpose(cropped, { perm: swap });
    },
    () => b.op.ReduceSum(dy, { axes: [0, ...Array.from({ length: geo.n }, (_, i) => i + 2)], keepdims: 0 }),
  ];
}

/**
 * Non-overlapping windows (kernel = strides, no padding or dilation, sizes divisible): x regrouped so
 * each of the K window positions is one Split part shaped like y; dy goes to the first position equal to y in
 * row-major order (PyTorch's tie rule), and the K parts are interleaved back. Same-shape elementwise ops
 * only: fast on CPU, and it runs where MaxPool's Indices output does not (onnxruntime WebGPU).
 */
function windowedMaxPool(c: GradContext, kernel: number[]): (() => Value) | undefined {
  const x = c.x[0]!;
  const n = kernel.length;
  const ones = Array<number>(n).fill(1);
  const same = (a: number[], e: number[]) => a.length === e.length && a.every((v, i) => v === e[i]);
  const pads = c.attr<number[]>('pads', Array<number>(2 * n).fill(0));
  if (!same(c.attr('strides', ones), kernel) || pads.some((p) => p !== 0) || !same(c.attr('dilations', ones), ones)) return undefined;
  if (!['NOTSET', 'VALID'].includes(c.attr('auto_pad', 'NOTSET')) || kernel.reduce((p, k) => p * k, 1) > 16) return undefined;
  const sizes = c.shapeOf(x)?.slice(2);
  if (sizes?.length !== n || !sizes.every((s, i) => typeof s === 'number' && s % kernel[i]! === 0)) return undefined;
  return () => routeToFirstMax(c, kernel, (sizes as number[]).map((s, i) => s / kernel[i]!));
}

function routeToFirstMax(c: GradContext, kernel: number[], out: number[]): Value {
  const { b } = c;
  const x = c.x[0]!;
  const n = kernel.length;
  const count = kernel.reduce((p, k) => p * k, 1);
  const last = b.int64s([-1]);
  // x as [N, C, o₁, k₁, …] → [N, C, o₁, …, k₁, …] → K slices [N, C, o₁, …, 1], one per window position
  const gather = [0, 1, ...kernel.map((_, i) => 2 + 2 * i), ...kernel.map((_, i) => 3 + 2 * i)];
  const windows = b.op.Transpose(b.op.Reshape(x, b.int64s([0, 0, ...out.flatMap((o, i) => [o, kernel[i]!])])), { perm: gather });
  const positions = b.op.Split(b.op.Reshape(windows, b.int64s([0, 0, ...out, count])), { axis: -1, split: Array<number>(count).fill(1) });
  const [y, dy] = [b.op.Unsqueeze(c.y[0]!, last), b.op.Unsqueeze(c.dy, last)];
  let taken: Value | undefined;
  const parts = positions.map((p) => {
    const isMax = b.op.Equal(p, y);
    const first = taken ? b.op.And(isMax, b.op.Not(taken)) : isMax;
    taken = taken ? b.op.Or(taken, isMax) : isMax;
    return b.op.Mul(dy, b.op.Cast(first, { to: (c.dy.type ?? 'float32') as DataType })); // Where is ~20× slower on onnxruntime's CPU here
  });
  const split = b.op.Reshape(b.op.Concat(...parts, { axis: -1 }), b.int64s([0, 0, ...out, ...kernel]));
  const interleave = [0, 1, ...kernel.flatMap((_, i) => [2 + i, 2 + n + i])];
  return b.op.Reshape(b.op.Transpose(split, { perm: interleave }), b.op.Shape(x));
}

/** Any other window: dy scattered (added) to MaxPool's Indices, flat over the whole tensor (not on onnxruntime WebGPU). */
function indexedMaxPool(c: GradContext): () => Value {
  const { b, dy, node } = c;
  const x = c.x[0]!;
  const indices = node.outputs[1]?.name ? node.outputs[1] : b.appendNode({
    opType: 'MaxPool', domain: '', inputs: [x], attributes: node.attributes, outputTypes: [x.type, 'int64'], name: 'MaxPool_indices',
  })[1]!;
  return () => {
    const zeros = zerosOfSize(c, b.op.Reshape(b.op.Size(x), b.int64s([1])), dy.type ?? 'float32');
    const flat = b.op.ScatterElements(zeros, b.op.Reshape(indices, b.int64s([-1])), b.op.Reshape(dy, b.int64s([-1])), { axis: 0, reduction: 'add' });
    return b.op.Reshape(flat, b.op.Shape(x));
  };
}

function maxPool(c: GradContext) {
  return [windowedMaxPool(c, c.attr<number[]>('kernel_shape', [])) ?? indexedMaxPool(c)];
}

export const NN_RULES: RuleTable = {
  // dx = y·(dy − Σₐ dy·y)
  Softmax: (c) => [() => c.b.op.Mul(c.y[0]!, c.b.op.Sub(c.dy, c.b.op.ReduceSum(c.b.op.Mul(c.dy, c.y[0]!), { axes: [softmaxAxis(c)], keepdims: 1 })))],
  // dx = dy − eʸ·Σₐ dy
  LogSoftmax: (c) => [() => c.b.op.Sub(c.dy, c.b.op.Mul(c.b.op.Exp(c.y[0]!), c.b.op.ReduceSum(c.dy, { axes: [softmaxAxis(c)], keepdims: 1 })))],
  // x̂ = (x − μ)/σ, y = γx̂ + β: dx = (g − mean(g) − x̂·mean(g·x̂))/σ with g = γ·dy; dγ = Σ dy·x̂; dβ = Σ dy
  LayerNormalization: layerNorm,
  // dx = convᵀ(dy, w); dw = x ⋆ dy (batch as channels); db = Σ dy over batch and space
  Conv: conv,
  // dx = dy routed to each window's first argmax
  MaxPool: maxPool,
};
