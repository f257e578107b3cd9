// Conformance cases for 2-D convolutions and pools (NCHW), with direct-loop references on tiny
// shapes. Pool attributes that appeared at opset 10 (ceil_mode, MaxPool dilations) run on both sides.
import type { Tensor } from '../runtime/runtime.js';
import { distinct, opCase, tensor, uniform, type OpCase } from './op-case.js';
import { generate, maxOf, ravel, reduce, unravel, valuesOf } from './reference.js';

interface Window2d {
  kernel: readonly [number, number];
  /** [top, left, bottom, right] */
  pads?: readonly [number, number, number, number];
  strides?: readonly [number, number];
  dilations?: readonly [number, number];
  ceil?: boolean;
}

/** Output size along one spatial axis, and the input coordinates window `o` covers (padding included). */
function windowAxis(size: number, w: Window2d, axis: 0 | 1): { out: number; taps: (o: number) => number[] } {
  const [k, s, d] = [w.kernel[axis], w.strides?.[axis] ?? 1, w.dilations?.[axis] ?? 1];
  const [before, after] = [w.pads?.[axis] ?? 0, w.pads?.[axis + 2] ?? 0];
  const span = size + before + after - (d * (k - 1) + 1);
  const out = (w.ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  return { out, taps: (o) => Array.from({ length: k }, (_, j) => o * s - before + j * d) };
}

/** Pools each channel with `fn` over the in-bounds taps (as values and flat input indices); `inside` counts taps within the padded extent. */
function pool2d(x: Tensor, w: Window2d, fn: (values: number[], flat: number[], inside: number) => number, type: Tensor['type'] = 'float32'): Tensor {
  const [n, c, h, wd] = x.dims as [number, number, number, number];
  const rows = windowAxis(h, w, 0);
  const cols = windowAxis(wd, w, 1);
  const v = valuesOf(x);
  const padded = (t: number, size: number, axis: 0 | 1) => t < size + (w.pads?.[axis + 2] ?? 0);
  return generate(type, [n, c, rows.out, cols.out], ([b, ch, oh, ow]) => {
    const taps = rows.taps(oh!).flatMap((r) => cols.taps(ow!).map((q) => [r, q] as const));
    const inside = taps.filter(([r, q]) => padded(r, h, 0) && padded(q, wd, 1)).length;
    const flat = taps.filter(([r, q]) => r >= 0 && r < h && q >= 0 && q < wd).map(([r, q]) => ravel([b!, ch!, r, q], x.dims));
    return fn(flat.map((i) => v[i]!), flat, inside);
  });
}

/** Grouped 2-D convolution: y[n, m] = bias[m] + Σ x[n, channels of m's group] ⋆ w[m]. */
function conv2d(x: Tensor, weight: Tensor, bias: Tensor | undefined, w: Omit<Window2d, 'kernel'>, group = 1): Tensor {
  const [m, cg, kh, kw] = weight.dims as [number, number, number, number];
  const win: Window2d = { ...w, kernel: [kh, kw] };
  const [rows, cols] = [windowAxis(x.dims[2]!, win, 0), windowAxis(x.dims[3]!, win, 1)];
  const [xv, wv, bv] = [valuesOf(x), valuesOf(weight), bias ? valuesOf(bias) : undefined];
  return generate('float32', [x.dims[0]!, m, rows.out, cols.out], ([n, oc, oh, ow]) => {
    const g = Math.floor(oc! / (m / group));
    let total = bv?.[oc!] ?? 0;
    for (let ci = 0; ci < cg; ci++) {
      rows.taps(oh!).forEach((r, i) => cols.taps(ow!).forEach((q, j) => {
        if (r < 0 || q < 0 || r >= x.dims[2]! || q >= x.dims[3]!) return;
        total += xv[ravel([n!, g * cg + ci, r, q], x.dims)]! * wv[ravel([oc!, ci, i, j], weight.dims)]!;
      }));
    }
    return total;
  });
}

/** ConvTranspose (group 1, no dilation): each input pixel adds x · w[c] into a stride-spaced window of the output. */
function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor, strides: [number, number], pads: [number, number, number, number], outPad: [number, number]): Tensor {
  const [n, , h, wd] = x.dims as [number, number, number, number];
  const [, m, kh, kw] = weight.dims as [number, number, number, number];
  const dims = [n, m, strides[0] * (h - 1) + outPad[0] + kh - pads[0] - pads[2], strides[1] * (wd - 1) + outPad[1] + kw - pads[1] - pads[3]];
  const acc = valuesOf(generate('float32', dims, ([, oc]) => valuesOf(bias)[oc!]!));
  const wv = valuesOf(weight);
  valuesOf(x).forEach((xval, xi) => {
    const [b, c, r, q] = unravel(xi, x.dims) as [number, number, number, number];
    wv.forEach((wval, wi) => {
      const [wc, oc, i, j] = unravel(wi, weight.dims) as [number, number, number, number];
      const [y, z] = [r * strides[0] + i - pads[0], q * strides[1] + j - pads[1]];
      if (wc !== c || y < 0 || y >= dims[2]! || z < 0 || z >= dims[3]!) return;
      const at = ravel([b, oc, y, z], dims);
      acc[at] = acc[at]! + xval * wval;
    });
  });
  return tensor('float32', dims, acc);
}

const CONVS: OpCase[] = [
  opCase({
    name: 'Conv pads 1 strides 2 with bias', ops: ['Conv'], opsets: [11, 17], precision: 'sum',
    inputs: { x: uniform(111, [1, 2, 5, 5], -1, 1), w: uniform(112, [3, 2, 3, 3], -1, 1), c: uniform(113, [3], -1, 1) },
    build: (b, { x, w, c }) => ({ y: b.op.Conv(x, w, c, { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }) }),
    reference: ({ x, w, c }) => ({ y: conv2d(x, w, c, { pads: [1, 1, 1, 1], strides: [2, 2] }) }),
  }),
  opCase({
    name: 'Conv group 2 dilations 2 asymmetric pads', ops: ['Conv'], precision: 'sum',
    inputs: { x: uniform(114, [1, 4, 6, 6], -1, 1), w: uniform(115, [4, 2, 2, 2], -1, 1) },
    build: (b, { x, w }) => ({ y: b.op.Conv(x, w, { group: 2, dilations: [2, 2], pads: [0, 1, 1, 0] }) }),
    reference: ({ x, w }) => ({ y: conv2d(x, w, undefined, { dilations: [2, 2], pads: [0, 1, 1, 0] }, 2) }),
  }),
  opCase({
    name: 'ConvTranspose strides 2 pads 1 output_padding 1', ops: ['ConvTranspose'], opsets: [11, 17], precision: 'sum',
    inputs: { x: uniform(116, [1, 2, 3, 3], -1, 1), w: uniform(117, [2, 3, 3, 3], -1, 1), c: uniform(118, [3], -1, 1) },
    build: (b, { x, w, c }) => ({ y: b.op.ConvTranspose(x, w, c, { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }) }),
    reference: ({ x, w, c }) => ({ y: convTranspose2d(x, w, c, [2, 2], [1, 1, 1, 1], [1, 1]) }),
  }),
];

const argmaxOf = (v: number[], flat: number[]) => flat[v.indexOf(maxOf(v))]!;
const meanOf = (v: number[]) => v.reduce((s, p) => s + p, 0) / v.length;
const pooled = distinct(119, [1, 2, 5, 5], -2, 2);
const window3: Window2d = { kernel: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] };

const POOLS: OpCase[] = [
  // Indices (the optional second output) are flat positions in the NCHW input.
  opCase({
    name: 'MaxPool 3x3 pads 1 strides 2 with Indices', ops: ['MaxPool'], opsets: [8, 10, 17, 18], precision: 'exact',
    inputs: { x: pooled },
    build: (b, { x }) => {
      const [y, i] = b.node('MaxPool', [x], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, { outputs: 2 });
      return { y: y!, i: i! };
    },
    reference: ({ x }) => ({ y: pool2d(x, window3, maxOf), i: pool2d(x, window3, (v, flat) => argmaxOf(v, flat), 'int64') }),
  }),
  opCase({
    name: 'MaxPool ceil_mode, dilations', ops: ['MaxPool'], opsets: [10, 17, 18], precision: 'exact',
    inputs: { x: pooled },
    build: (b, { x }) => ({
      y: b.op.MaxPool(x, { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })[0]!,
      z: b.op.MaxPool(x, { kernel_shape: [2, 2], dilations: [2, 2] })[0]!,
    }),
    reference: ({ x }) => ({ y: pool2d(x, { kernel: [2, 2], strides: [2, 2], ceil: true }, maxOf), z: pool2d(x, { kernel: [2, 2], dilations: [2, 2] }, maxOf) }),
  }),
  opCase({
    name: 'AveragePool count_include_pad 0 and 1', ops: ['AveragePool'], opsets: [7, 17, 18], precision: 'sum',
    inputs: { x: pooled },
    build: (b, { x }) => ({
      y: b.op.AveragePool(x, { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }),
      z: b.op.AveragePool(x, { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2], count_include_pad: 1 }),
    }),
    reference: ({ x }) => ({ y: pool2d(x, window3, meanOf), z: pool2d(x, window3, (v, _, inside) => (v.reduce((s, p) => s + p, 0)) / inside) }),
  }),
  opCase({
    name: 'AveragePool ceil_mode', ops: ['AveragePool'], opsets: [10, 17, 18], precision: 'sum',
    inputs: { x: pooled },
    build: (b, { x }) => ({ y: b.op.AveragePool(x, { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }) }),
    reference: ({ x }) => ({ y: pool2d(x, { kernel: [2, 2], strides: [2, 2], ceil: true }, meanOf) }),
  }),
  opCase({
    name: 'GlobalAveragePool, GlobalMaxPool', ops: ['GlobalAveragePool', 'GlobalMaxPool'], precision: 'sum',
    inputs: { x: uniform(120, [2, 3, 2, 3], -2, 2) },
    build: (b, { x }) => ({ y: b.op.GlobalAveragePool(x), z: b.op.GlobalMaxPool(x) }),
    reference: ({ x }) => ({ y: reduce(x, [2, 3], true, meanOf), z: reduce(x, [2, 3], true, maxOf) }),
  }),
];

export const CONV_CASES: readonly OpCase[] = [...CONVS, ...POOLS];
