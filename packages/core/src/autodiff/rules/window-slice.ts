// Sliding-window plumbing shared by the Conv and MaxPool gradients: kernel offsets, the strided Slice
// that reads one offset of every window, and zero padding built from Concat (no Pad op in the builder's
// vocabulary). Sizes are read at run time, so symbolic batch and unknown spatial sizes work alike.
import type { GraphBuilder } from '../../graph/graph-builder.js';
import { typedArrayOf } from '../../graph/graph-builder.js';
import type { Value } from '../../graph/value.js';
import type { DataType } from '../../onnx/data-type.js';

/** A Slice end past any axis (Slice clamps it). */
export const LAST = Number.MAX_SAFE_INTEGER;

/** Every kernel offset, row-major: [[0, 0], [0, 1], …, [k₁ − 1, k₂ − 1]]. */
export function kernelOffsets(kernel: readonly number[]): number[][] {
  let offsets: number[][] = [[]];
  for (const k of kernel) offsets = offsets.flatMap((o) => Array.from({ length: k }, (_, i) => [...o, i]));
  return offsets;
}

export interface WindowSlice {
  offset: readonly number[];
  kernel: readonly number[];
  strides: readonly number[];
  dilations: readonly number[];
  /** Slice ends per spatial axis (default: as far as whole windows reach). */
  ends?: Value;
}

/**
 * The element at `offset` of every window of x [N, C, …] (windows of `kernel` spread by `dilations`,
 * `strides` apart): a strided Slice shaped like the windowed op's output. Window j starts at s·j and
 * the last one ends within x, so offset o runs from d·o up to size − d·(k − 1) + d·o.
 */
export function windowSlice(b: GraphBuilder, x: Value, w: WindowSlice): Value {
  const starts = w.offset.map((o, i) => o * w.dilations[i]!);
  const ends = w.ends ?? w.offset.map((o, i) => {
    const before = w.dilations[i]! * (w.kernel[i]! - 1 - o); // elements after this offset in the last window
    return before === 0 ? LAST : -before;
  });
  return b.op.Slice(x, { starts, ends, axes: w.kernel.map((_, i) => i + 2), steps: [...w.strides] });
}

/** The sizes of v [N, C, …] with axis `axis` replaced by `size`. */
function shapeWith(b: GraphBuilder, v: Value, axis: number, size: Value): Value {
  const shape = b.op.Shape(v);
  const before = b.op.Slice(shape, { starts: [0], ends: [axis], axes: [0] });
  const after = b.op.Slice(shape, { starts: [axis + 1], ends: [LAST], axes: [0] });
  return b.op.Concat(before, size, after, { axis: 0 });
}

/** `size` (a 1-element int64) zeros along `axis`, v's sizes elsewhere. */
export function zerosAlong(b: GraphBuilder, v: Value, axis: number, size: Value, type: DataType): Value {
  return b.op.ConstantOfShape(shapeWith(b, v, axis, size), { value: { type, dims: [1], data: typedArrayOf(type, [0]) } });
}

/** x [N, C, …] with `pads` ([begin…, end…] per spatial axis) zeros around its spatial axes. */
export function zeroPadded(b: GraphBuilder, x: Value, pads: readonly number[], type: DataType): Value {
  const n = pads.length / 2;
  let v = x;
  for (let i = 0; i < n; i++) {
    const [begin, end] = [pads[i]!, pads[i + n]!];
    if (begin === 0 && end === 0) continue;
    const axis = 2 + i;
    const zeros = (count: number) => zerosAlong(b, v, axis, b.int64s([count]), type);
    v = b.node('Concat', [...(begin > 0 ? [zeros(begin)] : []), v, ...(end > 0 ? [zeros(end)] : [])], { axis })[0]!;
  }
  return v;
}

/**
 * Concat of many parts as a tree of Concats of at most `width` inputs: onnxruntime-web's WebGPU
 * Concat binds one storage buffer per input plus the output, and asks the device for 8 per shader
 * stage, so a 9-input Concat (a 3×3 kernel's patches) fails validation there.
 */
export function concatInGroups(b: GraphBuilder, parts: readonly Value[], axis: number, width = 4): Value {
  if (parts.length <= width) return b.node('Concat', parts, { axis })[0]!;
  const groups = Array.from({ length: Math.ceil(parts.length / width) }, (_, g) => parts.slice(g * width, (g + 1) * width));
  return concatInGroups(b, groups.map((g) => (g.length === 1 ? g[0]! : b.node('Concat', g, { axis })[0]!)), axis, width);
}
