// Shape inference for backward(): what it infers must be right, and what it cannot tell stays unknown.
import { describe, expect, test } from 'vitest';
import { GraphBuilder } from './graph-builder.js';
import { inferShapes } from './static-shapes.js';

describe('inferShapes', () => {
  test('broadcasting keeps symbolic dims, and an unknown dim never becomes 1', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', null, 'seq', 16]);
    const bias = b.input('bias', 'float32', [16]);
    const scale = b.input('scale', 'float32', [1]);
    const y = b.op.Mul(b.op.Add(x, bias), scale);
    const z = b.op.Add(b.input('u', 'float32', ['batch', 1]), b.input('v', 'float32', [3, 'other', 1]));
    const shapes = inferShapes(b);
    expect(shapes.shapeOf(y)).toEqual(['batch', null, 'seq', 16]);
    expect(shapes.shapeOf(z)).toEqual([3, null, 1]);
    expect(shapes.shapeOf(x)).toEqual(['batch', null, 'seq', 16]);
  });

  test('Reduce* with axes as attribute or input, keepdims 0/1, empty axes; Flatten keeps a lone symbolic dim', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 8, 7, 7]);
    const kept = b.op.ReduceMean(x, { axes: [1, 2, -1], keepdims: 1 });
    const dropped = b.op.ReduceSum(x, { axes: [0, 2], keepdims: 0 });
    const all = b.op.ReduceMax(x, { keepdims: 0 });
    const unknownAxes = b.node('ReduceSum', [x, b.input('axes', 'int64', [1])])[0]!;
    const flat = b.op.Flatten(x, { axis: 1 });
    const first = b.op.Flatten(x, { axis: 2 });
    const shapes = inferShapes(b);
    expect(shapes.shapeOf(kept)).toEqual(['batch', 1, 1, 1]);
    expect(shapes.shapeOf(dropped)).toEqual([8, 7]);
    expect(shapes.shapeOf(all)).toEqual([]);
    expect(shapes.shapeOf(unknownAxes)).toBeUndefined();
    expect(shapes.shapeOf(flat)).toEqual(['batch', 392]);
    expect(shapes.shapeOf(first)).toEqual([null, 49]);
    const opset18 = new GraphBuilder({ opset: 18 });
    const y = opset18.op.ReduceMean(opset18.input('y', 'float32', [2, 3, 4]), { axes: [1], keepdims: 0 });
    expect(inferShapes(opset18).shapeOf(y)).toEqual([2, 4]);
  });

  test('a Reshape target built from Shape, Gather, Unsqueeze and Concat is followed', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 'seq', 64]);
    const dim = (i: number) => b.op.Unsqueeze(b.op.Gather(b.op.Shape(x), b.scalar(i, 'int64'), { axis: 0 }), { axes: [0] });
    const heads = b.op.Reshape(x, b.op.Concat(dim(0), dim(1), b.int64s([4, 16]), { axis: 0 }));
    const t = b.op.Transpose(heads, { perm: [0, 2, 1, 3] });
    const scores = b.op.MatMul(t, b.op.Transpose(t, { perm: [0, 1, 3, 2] }));
    const flat = b.op.Reshape(x, b.int64s([0, -1]));
    const shapes = inferShapes(b);
    expect(shapes.shapeOf(heads)).toEqual(['batch', 'seq', 4, 16]);
    expect(shapes.shapeOf(scores)).toEqual(['batch', 4, 'seq', 'seq']);
    expect(shapes.shapeOf(flat)).toEqual(['batch', null]);
  });

  test('Slice to a symbolic length, Range(0, n, 1); other bounds stay unknown', () => {
    const b = new GraphBuilder();
    const ids = b.input('ids', 'int64', ['batch', 'seq']);
    const buffer = b.input('positions', 'int64', [1, 128]);
    const seq = b.op.Unsqueeze(b.op.Gather(b.op.Shape(ids), b.scalar(1, 'int64'), { axis: 0 }), { axes: [0] });
    const cut = b.op.Slice(buffer, b.int64s([0]), seq, b.int64s([1]));
    const stepped = b.op.Slice(buffer, b.int64s([0]), b.int64s([10]), b.int64s([1]), b.int64s([2]));
    const range = b.op.Range(b.scalar(0, 'int64'), b.op.Gather(b.op.Shape(ids), b.scalar(0, 'int64'), { axis: 0 }), b.scalar(1, 'int64'));
    const shapes = inferShapes(b);
    expect(shapes.shapeOf(cut)).toEqual([1, 'seq']);
    expect(shapes.shapeOf(stepped)).toBeUndefined();
    expect(shapes.shapeOf(range)).toEqual(['batch']);
  });

  test('Conv and MaxPool windows with explicit pads; ceil mode stays unknown', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 2, 28, 27]);
    const conv = b.op.Conv(x, b.input('w', 'float32', [8, 2, 5, 3]), { strides: [2, 1], pads: [1, 0, 1, 0], dilations: [1, 2] });
    const pool = b.op.MaxPool(conv, { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
    const ceil = b.op.MaxPool(conv, { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })[0]!;
    const shapes = inferShapes(b);
    expect(shapes.shapeOf(conv)).toEqual(['batch', 8, 13, 23]);
    expect(shapes.shapeOf(pool)).toEqual(['batch', 8, 6, 11]);
    expect(shapes.shapeOf(ceil)).toBeUndefined();
  });

  test('Split by sizes read from shapes (symbolic per part), by attribute, or equally; Gemm with transposes', () => {
    const b = new GraphBuilder();
    const role = b.input('anchor', 'float32', ['batch', 1, 8, 8]);
    const rows = b.input('rows', 'float32', [null, 32]);
    const batch = b.op.Slice(b.op.Shape(role), { starts: [0], ends: [1], axes: [0] });
    const [a, p] = b.node('Split', [rows, b.op.Concat(batch, batch, { axis: 0 })], { axis: 0 }, { outputs: 2 });
    const halves = b.node('Split', [b.input('h', 'float32', [6, 4])], { axis: 1 }, { outputs: 2 });
    const uneven = b.node('Split', [b.input('u', 'float32', [5, 4])], { axis: 0 }, { outputs: 2 });
    const gemm = b.op.Gemm(b.input('ga', 'float32', [16, 'batch']), b.input('gw', 'float32', [10, 16]), { transA: 1, transB: 1 });
    const shapes = inferShapes(b);
    expect([shapes.shapeOf(a!), shapes.shapeOf(p!)]).toEqual([['batch', 32], ['batch', 32]]);
    expect(halves.map((v) => shapes.shapeOf(v))).toEqual([[6, 2], [6, 2]]);
    expect(uneven.map((v) => shapes.shapeOf(v))).toEqual([undefined, undefined]);
    expect(shapes.shapeOf(gemm)).toEqual(['batch', 10]);
  });
});
