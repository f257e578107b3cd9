// The MaxPool gradient: dy goes to each window's first maximum in row-major order (PyTorch's tie
// rule). Non-overlapping windows use same-shape elementwise ops only, with sizes read at run time;
// other windows scatter dy to MaxPool's Indices output.
import type { Value } from '../../graph/value.js';
import type { DataType } from '../../onnx/data-type.js';
import type { GradContext } from '../grad-rule.js';
import { zerosOfSize } from './shape.js';
import { concatInGroups, LAST, zerosAlong } from './window-slice.js';

/** At most this many window positions take the elementwise route (one Equal/And/Mul chain each). */
const MAX_WINDOW = 16;

/**
 * Non-overlapping windows (kernel = strides, no padding or dilation): x regrouped so each of the K
 * window positions is one Split part shaped like y; dy goes to the first position equal to y, and the
 * K parts are interleaved back. In floor mode x's last rows or columns may lie outside every window:
 * x is cropped to whole windows first and dx padded back with zeros. Fast on CPU, and it runs where
 * MaxPool's Indices output does not (onnxruntime WebGPU).
 */
function windowedMaxPool(c: GradContext, kernel: number[]): (() => Value) | undefined {
  const n = kernel.length;
  const ones = Array<number>(n).fill(1);
  const same = (a: number[], e: number[]) => a.length === e.length && a.every((v, i) => v === e[i]);
  const pads = c.attr<number[]>('pads', Array<number>(2 * n).fill(0));
  if (!same(c.attr('strides', ones), kernel) || pads.some((p) => p !== 0) || !same(c.attr('dilations', ones), ones)) return undefined;
  if (!['NOTSET', 'VALID'].includes(c.attr('auto_pad', 'NOTSET')) || kernel.reduce((p, k) => p * k, 1) > MAX_WINDOW) return undefined;
  const sizes = c.shapeOf(c.x[0]!)?.slice(2);
  // Per spatial axis: does every element lie in a window? Unknown sizes count as no (floor mode crops, then pads).
  const whole = kernel.map((k, i) => typeof sizes?.[i] === 'number' && (sizes[i] as number) % k === 0);
  if (!whole.every(Boolean) && c.attr('ceil_mode', 0) !== 0) return undefined;
  return () => (whole.every(Boolean) ? routeToFirstMax(c, c.x[0]!, kernel) : padToInput(c, routeToFirstMax(c, croppedToWindows(c, kernel), kernel), whole));
}

/** x without the rows and columns that no window covers: each spatial size cut to (y's size)·k. */
function croppedToWindows(c: GradContext, kernel: number[]): Value {
  const { b } = c;
  const outSizes = b.op.Slice(b.op.Shape(c.y[0]!), { starts: [2], ends: [LAST], axes: [0] });
  return b.op.Slice(c.x[0]!, { starts: kernel.map(() => 0), ends: b.op.Mul(outSizes, b.int64s(kernel)), axes: kernel.map((_, i) => i + 2) });
}

/** dx of the cropped x, with zeros appended along each axis that was cut to x's size. */
function padToInput(c: GradContext, dx: Value, whole: boolean[]): Value {
  const { b } = c;
  const size = (v: Value, axis: number) => b.op.Slice(b.op.Shape(v), { starts: [axis], ends: [axis + 1], axes: [0] });
  return whole.reduce((v, exact, i) => {
    if (exact) return v;
    const missing = b.op.Sub(size(c.x[0]!, i + 2), size(v, i + 2));
    return b.op.Concat(v, zerosAlong(b, v, i + 2, missing, (c.dy.type ?? 'float32') as DataType), { axis: i + 2 });
  }, dx);
}

/** [N, C, o₁, k₁, o₂, k₂, …]: x's sizes with each spatial axis split into (window count, window size). */
function windowedShape(c: GradContext, kernel: number[]): Value {
  const { b } = c;
  const out = b.op.Shape(c.y[0]!);
  const at = (start: number, end: number) => b.op.Slice(out, { starts: [start], ends: [end], axes: [0] });
  return b.node('Concat', [at(0, 2), ...kernel.flatMap((k, i) => [at(2 + i, 3 + i), b.int64s([k])])], { axis: 0 })[0]!;
}

function routeToFirstMax(c: GradContext, x: Value, kernel: number[]): Value {
  const { b } = c;
  const n = kernel.length;
  const count = kernel.reduce((p, k) => p * k, 1);
  const last = b.int64s([-1]);
  // x as [N, C, o₁, k₁, …] → [N, C, o₁, …, k₁, …] → K slices [N, C, o₁, …, 1], one per window position
  const gather = [0, 1, ...kernel.map((_, i) => 2 + 2 * i), ...kernel.map((_, i) => 3 + 2 * i)];
  const windows = b.op.Transpose(b.op.Reshape(x, windowedShape(c, kernel)), { perm: gather });
  const positions = b.op.Split(b.op.Reshape(windows, b.int64s([0, 0, ...Array<number>(n).fill(0), count])), { axis: -1, split: Array<number>(count).fill(1) });
  const y = b.op.Unsqueeze(c.y[0]!, last);
  const type = (c.dy.type ?? 'float32') as DataType;
  // dy still unrouted, per window: all of it until the first maximum takes it (r − r = 0 exactly)
  let remaining = b.op.Unsqueeze(c.dy, last);
  const parts = positions.map((p, k) => {
    const part = b.op.Mul(remaining, b.op.Cast(b.op.Equal(p, y), { to: type })); // Where is ~20× slower on onnxruntime's CPU here
    if (k < positions.length - 1) remaining = b.op.Sub(remaining, part);
    return part;
  });
  const split = b.op.Reshape(concatInGroups(b, parts, -1), b.op.Concat(b.op.Shape(c.y[0]!), b.int64s(kernel), { axis: 0 }));
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

export function maxPool(c: GradContext) {
  return [windowedMaxPool(c, c.attr<number[]>('kernel_shape', [])) ?? indexedMaxPool(c)];
}
