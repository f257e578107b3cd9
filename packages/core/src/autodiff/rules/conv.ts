// The Conv gradient. dx is a ConvTranspose of dy. dw for kernels of up to PATCH_LIMIT elements is one
// GEMM over explicitly built patches: one Gather at constant indices when x's spatial sizes are known,
// kernel-offset Slices of the zero-padded input when they are known only at run time. onnxruntime's
// CPU runs the alternative, a Conv whose kernel is the whole output map, as an im2col per input channel
// and a skinny GEMM. Larger kernels, and weights of unknown shape, keep that Conv: it holds no patches.
import { fail } from '../../errors.js';
import type { Dim, Value } from '../../graph/value.js';
import type { DataType } from '../../onnx/data-type.js';
import type { GradContext } from '../grad-rule.js';
import { concatInGroups, kernelOffsets, windowSlice, zeroPadded, zerosAlong } from './window-slice.js';

/**
 * Kernel elements up to which dw is taken over patches. Patches hold that many copies of x while the
 * GEMM runs: 9 for 3×3, 115 MB for a batch of 64 × 64 channels × 28×28.
 */
export const PATCH_LIMIT = 25;

interface ConvGeometry { n: number; strides: number[]; dilations: number[]; pads: number[]; group: number }

function convGeometry(c: GradContext): ConvGeometry {
  const w = c.x[1]!;
  const n = (c.shapeOf(w)?.length ?? c.attr<number[]>('kernel_shape', []).length + 2) - 2;
  if (n < 1) fail('autodiff', `Conv node "${c.node.name}": the weight's rank is unknown (no shape, no kernel_shape)`);
  const autoPad = c.attr('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') fail('autodiff', `Conv node "${c.node.name}": auto_pad ${autoPad} is not differentiated, expected NOTSET or VALID (explicit pads)`);
  const ones = Array<number>(n).fill(1);
  return { n, strides: c.attr('strides', ones), dilations: c.attr('dilations', ones), pads: c.attr('pads', Array<number>(2 * n).fill(0)), group: c.attr('group', 1) };
}

const isStatic = (dims: readonly Dim[] | undefined): dims is number[] => dims !== undefined && dims.every((d) => typeof d === 'number');

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

/**
 * dw[m, c, κ] = Σ over batch n and output positions p of dy[n, m, p] · x̂[n, c, s·p + d·κ] (x̂: x zero-padded).
 * With batch and channels swapped, each kernel offset κ is one strided Slice of x̂ᵀ [C, N, …] with dyᵀ's
 * spatial sizes; joined they are patches [C·K, N·P], and dw = dyᵀ [M, N·P] · patchesᵀ is a single GEMM.
 * The Slices and the Concat tree copy x K times over (about 4× slower than the Gather on onnxruntime's CPU).
 */
function weightGradBySlices(c: GradContext, geo: ConvGeometry, dims: number[]): Value {
  const { b, dy } = c;
  const kernel = dims.slice(2);
  const spatial = kernel.map((_, i) => i + 2);
  const swap = [1, 0, ...spatial];
  const xt = zeroPadded(b, b.op.Transpose(c.x[0]!, { perm: swap }), geo.pads, (dy.type ?? 'float32') as DataType);
  const parts = kernelOffsets(kernel).map((offset) => windowSlice(b, xt, { offset, kernel, strides: geo.strides, dilations: geo.dilations }));
  // [C, K·N, …] (offset-major within each channel) is [C·K, N·P] row for row
  const patches = b.op.Reshape(concatInGroups(b, parts, 1), b.int64s([dims[1]! * parts.length, -1]));
  const dyt = b.op.Reshape(b.op.Transpose(dy, { perm: swap }), b.int64s([dims[0]!, -1]));
  return b.op.Reshape(b.op.Gemm(dyt, patches, { transB: 1 }), b.int64s(dims));
}

/** dw as a Conv of xᵀ with dyᵀ as the kernel (strides and dilations trade places), cropped to the kernel size. */
function weightGradByConv(c: GradContext, geo: ConvGeometry): Value {
  const { b, dy } = c;
  const [x, w] = c.x as Value[];
  const spatial = Array.from({ length: geo.n }, (_, i) => i + 2);
  const swap = [1, 0, ...spatial];
  const kernel = (c.shapeOf(w!)?.slice(2) as number[] | undefined) ?? c.attr<number[]>('kernel_shape', []);
  const full = b.op.Conv(b.op.Transpose(x!, { perm: swap }), b.op.Transpose(dy, { perm: swap }), { strides: geo.dilations, dilations: geo.strides, pads: geo.pads });
  return b.op.Transpose(b.op.Slice(full, { starts: spatial.map(() => 0), ends: kernel, axes: spatial }), { perm: swap });
}

/** Output sizes of a window op over static input sizes: ⌊(size + pads − d·(k − 1) − 1) / s⌋ + 1. */
function windowCounts(sizes: readonly number[], kernel: readonly number[], geo: ConvGeometry): number[] {
  return sizes.map((size, i) => Math.floor((size + geo.pads[i]! + geo.pads[i + geo.n]! - geo.dilations[i]! * (kernel[i]! - 1) - 1) / geo.strides[i]!) + 1);
}

/**
 * For each kernel offset κ and output position p (both row-major), the flat spatial index of the input
 * element that window p reads at κ; `size` (one past the last element) where it reads padding.
 */
function patchIndices(sizes: readonly number[], kernel: readonly number[], geo: ConvGeometry): Int32Array {
  const outs = windowCounts(sizes, kernel, geo);
  const offsets = kernelOffsets(kernel);
  const positions = kernelOffsets(outs);
  const size = sizes.reduce((p, s) => p * s, 1);
  const index = new Int32Array(offsets.length * positions.length);
  let at = 0;
  for (const k of offsets) {
    for (const p of positions) {
      let flat = 0;
      for (let i = 0; i < sizes.length && flat !== size; i++) {
        const q = geo.strides[i]! * p[i]! + geo.dilations[i]! * k[i]! - geo.pads[i]!;
        flat = q < 0 || q >= sizes[i]! ? size : flat * sizes[i]! + q;
      }
      index[at++] = flat;
    }
  }
  return index;
}

/**
 * The same GEMM over patches made by one Gather: x as [C, S, N] (spatial axes flattened, batch innermost,
 * a zero row appended when windows read padding) gathered at the [K, P] patch indices is [C, K, P, N],
 * i.e. patches [C·K, P·N]; with dy as [M, P·N], dw = dy · patchesᵀ. Every gathered block is a whole
 * batch row, and the patches are the only copy of x. Needs x's static spatial sizes (the indices are
 * a constant: K·P int32).
 */
function weightGradByGather(c: GradContext, geo: ConvGeometry, dims: number[]): Value | undefined {
  const { b, dy } = c;
  const sizes = c.shapeOf(c.x[0]!)?.slice(2);
  if (!isStatic(sizes)) return undefined;
  const kernel = dims.slice(2);
  const index = patchIndices(sizes, kernel, geo);
  const size = sizes.reduce((p, s) => p * s, 1);
  const toBatchLast = [1, ...kernel.map((_, i) => i + 2), 0];
  let xt = b.op.Reshape(b.op.Transpose(c.x[0]!, { perm: toBatchLast }), b.int64s([dims[1]!, size, -1]));
  if (index.includes(size)) xt = b.op.Concat(xt, zerosAlong(b, xt, 1, b.int64s([1]), (dy.type ?? 'float32') as DataType), { axis: 1 });
  const offsets = kernelOffsets(kernel).length;
  const indices = b.constant({ type: 'int32', dims: [offsets, index.length / offsets], data: index });
  const patches = b.op.Reshape(b.op.Gather(xt, indices, { axis: 1 }), b.int64s([dims[1]! * offsets, -1]));
  const dyt = b.op.Reshape(b.op.Transpose(dy, { perm: toBatchLast }), b.int64s([dims[0]!, -1]));
  return b.op.Reshape(b.op.Gemm(dyt, patches, { transB: 1 }), b.int64s(dims));
}

function weightGrad(c: GradContext, geo: ConvGeometry): Value {
  if (geo.group !== 1) fail('autodiff', `Conv node "${c.node.name}": the weight gradient supports group 1, got ${geo.group}`);
  const dims = c.shapeOf(c.x[1]!);
  const count = isStatic(dims) ? dims.slice(2).reduce((p, k) => p * k, 1) : Infinity;
  if (!isStatic(dims) || count > PATCH_LIMIT) return weightGradByConv(c, geo);
  return weightGradByGather(c, geo, dims) ?? weightGradBySlices(c, geo, dims);
}

export function conv(c: GradContext) {
  const { b, dy } = c;
  const geo = convGeometry(c);
  const spatial = Array.from({ length: geo.n }, (_, i) => i + 2);
  const { strides, dilations, pads, group } = geo;
  return [
    () => b.op.ConvTranspose(dy, c.x[1]!, { strides, dilations, pads, group, output_padding: outputPadding(c, geo) }),
    () => weightGrad(c, geo),
    () => b.op.ReduceSum(dy, { axes: [0, ...spatial], keepdims: 0 }),
  ];
}
