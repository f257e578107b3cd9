// Index arithmetic for the pure-JS reference implementations: broadcasting, reductions and
// per-axis fibers over row-major tensors, computed in float64 and rounded once on output.
import type { DataType } from '../onnx/data-type.js';
import type { Tensor } from '../runtime/runtime.js';
import { elementCount } from '../onnx/tensor-proto.js';
import { tensor } from './op-case.js';

export function sizeOf(dims: readonly number[]): number {
  return elementCount(dims);
}

/** A tensor's values as JS numbers (int64 included: cases keep them far below 2^53). */
export function valuesOf(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

export function unravel(flat: number, dims: readonly number[]): number[] {
  const index = new Array<number>(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) {
    index[i] = flat % dims[i]!;
    flat = Math.floor(flat / dims[i]!);
  }
  return index;
}

export function ravel(index: readonly number[], dims: readonly number[]): number {
  return index.reduce((flat, i, axis) => flat * dims[axis]! + i, 0);
}

export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Math.max/min over an array of any length (a spread into arguments overflows the stack past ~100k). */
export const maxOf = (v: readonly number[]): number => v.reduce((m, x) => Math.max(m, x), -Infinity);
export const minOf = (v: readonly number[]): number => v.reduce((m, x) => Math.min(m, x), Infinity);

/** numpy broadcasting of several shapes. */
export function broadcastDims(shapes: readonly (readonly number[])[]): number[] {
  const rank = maxOf(shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => maxOf(shapes.map((s) => s[i - rank + s.length] ?? 1)));
}

/** The flat index into a tensor of `dims` that broadcasting reads for output index `index`. */
function broadcastFlat(index: readonly number[], dims: readonly number[]): number {
  const offset = index.length - dims.length;
  return dims.reduce((flat, d, axis) => flat * d + (d === 1 ? 0 : index[axis + offset]!), 0);
}

/** Elementwise `fn` over broadcast inputs; the output has element type `type`. */
export function elementwise(type: DataType, inputs: readonly Tensor[], fn: (...v: number[]) => number): Tensor {
  const dims = broadcastDims(inputs.map((t) => t.dims));
  const values = inputs.map(valuesOf);
  const out = Array.from({ length: sizeOf(dims) }, (_, flat) => {
    const index = unravel(flat, dims);
    return fn(...values.map((v, k) => v[broadcastFlat(index, inputs[k]!.dims)]!));
  });
  return tensor(type, dims, out);
}

/** Reduces the given axes with `fn` (its argument lists the reduced elements in row-major order). */
export function reduce(t: Tensor, axes: readonly number[], keepdims: boolean, fn: (v: number[]) => number, type: DataType = t.type): Tensor {
  const rank = t.dims.length;
  const reduced = new Set(axes.length === 0 ? t.dims.map((_, i) => i) : axes.map((a) => normalizeAxis(a, rank)));
  const kept = t.dims.map((d, i) => (reduced.has(i) ? 1 : d));
  const groups = Array.from({ length: sizeOf(kept) }, () => [] as number[]);
  valuesOf(t).forEach((v, flat) => {
    const index = unravel(flat, t.dims).map((i, axis) => (reduced.has(axis) ? 0 : i));
    groups[ravel(index, kept)]!.push(v);
  });
  const dims = keepdims ? kept : t.dims.filter((_, i) => !reduced.has(i));
  return tensor(type, dims, groups.map(fn));
}

/** Applies `fn` to every 1-D fiber along `axis`; `fn` returns the new fiber (its length may change). */
export function alongAxis(t: Tensor, axis: number, fn: (fiber: number[]) => number[], type: DataType = t.type): Tensor {
  const a = normalizeAxis(axis, t.dims.length);
  const n = t.dims[a]!;
  const inner = sizeOf(t.dims.slice(a + 1));
  const outer = sizeOf(t.dims.slice(0, a));
  const values = valuesOf(t);
  const fibers = Array.from({ length: outer * inner }, (_, k) => {
    const base = Math.floor(k / inner) * n * inner + (k % inner);
    return fn(Array.from({ length: n }, (_, i) => values[base + i * inner]!));
  });
  const m = fibers[0]?.length ?? 0;
  const out = new Array<number>(outer * m * inner);
  fibers.forEach((fiber, k) => {
    const base = Math.floor(k / inner) * m * inner + (k % inner);
    fiber.forEach((v, i) => (out[base + i * inner] = v));
  });
  return tensor(type, t.dims.map((d, i) => (i === a ? m : d)), out);
}

/** Builds a tensor of `dims` from a function of the output's multi-index. */
export function generate(type: DataType, dims: readonly number[], fn: (index: number[]) => number): Tensor {
  return tensor(type, dims, Array.from({ length: sizeOf(dims) }, (_, flat) => fn(unravel(flat, dims))));
}

export const sum = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0);

/** log Σ exp(v), shifted by the maximum so that it cannot overflow. */
export function logSumExp(v: readonly number[]): number {
  const max = maxOf(v);
  return max + Math.log(sum(v.map((x) => Math.exp(x - max))));
}
