// Shapes the importer could not give (the legacy exporter writes no value_info), inferred forward
// for ops whose shape rule is simple, with symbolic dims ('batch') carried through. Shape tensors
// built from Shape/Gather/Unsqueeze/Concat are followed element by element so Reshape targets are
// known. Anything unsure stays unknown (null dims, or no shape): backward then computes reduction
// axes at run time, so a gap costs speed, never correctness.
import { readAttribute, type TensorLiteral } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';
import type { Dim, Node, Value } from './value.js';

type Shape = Dim[];

export interface StaticShapes {
  shapeOf(v: Value): Shape | undefined;
}

/** What a shape rule sees of one node: input shapes, the contents of small int64 inputs, attributes. */
interface Site {
  node: Node;
  x: (Shape | undefined)[];
  contents(i: number): Shape | undefined;
  attr<T>(name: string): T | undefined;
}

/** The output shape (`outputs`: one per output, for ops with several), and for int64 shape vectors their elements. */
type ShapeRule = (s: Site) => { shape?: Shape | undefined; contents?: Shape | undefined; outputs?: (Shape | undefined)[] } | undefined;

const SAME_SHAPE = [
  'Identity', 'Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Softplus', 'Erf',
  'Sin', 'Cos', 'Sign', 'Floor', 'Ceil', 'Round', 'IsNaN', 'Not', 'Softmax', 'LogSoftmax', 'LayerNormalization', 'Clip',
];
const BROADCAST = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Where', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or',
];

/** numpy broadcasting over known shapes; a dim is unknown (null) where two different unknowns meet. */
function broadcast(shapes: Shape[]): Shape {
  const rank = shapes.reduce((m, s) => Math.max(m, s.length), -Infinity);
  return Array.from({ length: rank }, (_, i) => {
    const dims = shapes.map((s) => (i >= rank - s.length ? s[i - rank + s.length]! : 1)).filter((d) => d !== 1);
    if (dims.length === 0) return 1;
    return dims.every((d) => d !== null && d === dims[0]) ? dims[0]! : dims.find((d) => typeof d === 'number') ?? null;
  });
}

const normalize = (axes: readonly Dim[], rank: number) => axes.map((a) => ((a as number) < 0 ? (a as number) + rank : (a as number)));
const axesOf = (s: Site) => s.attr<number[]>('axes') ?? s.contents(1);
const product = (dims: Shape) => dims.reduce<number>((n, d) => n * (d as number), 1);

function gather(s: Site) {
  const [data, idx] = s.x;
  const axis = s.attr<number>('axis') ?? 0;
  const vector = s.contents(0);
  const at = s.contents(1);
  const a = data ? normalize([axis], data.length)[0]! : 0;
  return {
    shape: data && idx ? [...data.slice(0, a), ...idx, ...data.slice(a + 1)] : undefined,
    contents: vector && at && idx ? at.map((i) => vector[normalize([i], vector.length)[0]!] ?? null) : undefined,
  };
}

function unsqueeze(s: Site) {
  const axes = axesOf(s);
  const x = s.x[0];
  if (!axes || !x) return undefined;
  const rank = x.length + axes.length;
  const at = normalize(axes, rank);
  const rest = [...x];
  return { shape: Array.from({ length: rank }, (_, i) => (at.includes(i) ? 1 : rest.shift()!)), contents: x.length === 0 ? s.contents(0) : undefined };
}

/**
 * The size of parts joined along an axis: a number when all are, else a symbol spelling the sum
 * ('batch+batch' for two twin roles): equal spellings are equal sizes, so values derived from the
 * joined tensor keep matching each other. Unknown if any part is.
 */
export function concatenatedSize(parts: readonly (Dim | undefined)[]): Dim {
  if (parts.some((d) => d === null || d === undefined)) return null;
  if (parts.every((d) => typeof d === 'number')) return (parts as number[]).reduce((n, d) => n + d, 0);
  return parts.join('+');
}

function concat(s: Site) {
  const parts = s.node.inputs.map((_, i) => s.contents(i));
  const first = s.x[0];
  const same = first && s.x.every((x) => x && x.length === first.length);
  const a = first ? normalize([s.attr<number>('axis') ?? 0], first.length)[0]! : 0;
  const total = concatenatedSize(s.x.map((x) => x?.[a]));
  return { shape: same ? first.map((d, i) => (i === a ? total : d)) : undefined, contents: parts.every((p) => p) ? (parts.flat() as Shape) : undefined };
}

function reshape(s: Site) {
  const target = s.contents(1);
  const x = s.x[0];
  if (!target || s.attr('allowzero')) return undefined;
  const dims = target.map((d, i) => (d === 0 ? (x?.[i] ?? null) : d));
  const known = x?.every((d) => typeof d === 'number') && dims.filter((d) => d !== -1).every((d) => typeof d === 'number');
  return { shape: dims.map((d) => (d === -1 ? (known ? product(x!) / product(dims.filter((e) => e !== -1)) : null) : d)) };
}

/** Only the common forms: numeric bounds, or [0, symbolic end) with step 1 (a buffer cut to the sequence length). */
function slice(s: Site) {
  const [starts, ends, axes, steps] = [1, 2, 3, 4].map((i) => s.contents(i));
  const x = s.x[0];
  if (!x || !starts || !ends || (s.node.inputs[3] && !axes) || (s.node.inputs[4] && !steps)) return undefined;
  const dims = [...x];
  const ok = normalize(axes ?? starts.map((_, i) => i), x.length).every((axis, k) => {
    const [start, end, step, size] = [starts[k], ends[k], steps?.[k] ?? 1, dims[axis]];
    if (step !== 1 || typeof start !== 'number' || start < 0) return false;
    if (typeof end === 'string' && start === 0) dims[axis] = end;
    else if (typeof end === 'number' && end >= 0 && typeof size === 'number') dims[axis] = Math.max(0, Math.min(end, size) - start);
    else return false;
    return true;
  });
  // a piece of a shape vector: [start, end) of its known elements
  const vector = s.contents(0);
  const [start, end] = [starts[0], ends[0]];
  const piece = vector && x.length === 1 && starts.length === 1 && typeof start === 'number' && typeof end === 'number' ? vector.slice(start, end) : undefined;
  return ok ? { shape: dims, contents: piece } : undefined;
}

/** Split: sizes from the split input or attribute (symbolic ones too, e.g. a batch per twin role), else equal parts of a known size. */
function split(s: Site) {
  const x = s.x[0];
  if (!x) return undefined;
  const axis = normalize([s.attr<number>('axis') ?? 0], x.length)[0]!;
  const count = s.node.outputs.length;
  const size = x[axis];
  const sizes = (s.node.inputs[1] ? s.contents(1) : s.attr<number[]>('split'))
    ?? (typeof size === 'number' && size % count === 0 ? Array<Dim>(count).fill(size / count) : undefined);
  return sizes?.length === count ? { outputs: sizes.map((d) => x.map((e, i) => (i === axis ? d : e))) } : undefined;
}

/** Conv and pooling with explicit pads (auto_pad NOTSET or VALID), floor mode: ⌊(n + pads − d·(k − 1) − 1)/s⌋ + 1. */
function sliding(s: Site) {
  const [x, w] = s.x;
  const kernel = s.attr<number[]>('kernel_shape') ?? (s.node.opType === 'Conv' ? (w?.slice(2) as number[] | undefined) : undefined);
  const channels = s.node.opType === 'Conv' ? w?.[0] : x?.[1];
  if (!x || !kernel || channels === undefined || kernel.some((k) => typeof k !== 'number') || s.attr('ceil_mode')) return undefined;
  if (!['NOTSET', 'VALID', undefined].includes(s.attr<string>('auto_pad')) || x.length !== kernel.length + 2) return undefined;
  const n = kernel.length;
  const [strides, dilations, pads] = [s.attr<number[]>('strides'), s.attr<number[]>('dilations'), s.attr<number[]>('pads')];
  const spatial = kernel.map((k, i) => {
    const size = x[2 + i];
    if (typeof size !== 'number') return null;
    const span = size + (pads?.[i] ?? 0) + (pads?.[i + n] ?? 0) - (dilations?.[i] ?? 1) * (k - 1) - 1;
    return Math.floor(span / (strides?.[i] ?? 1)) + 1;
  });
  return { shape: [x[0]!, channels, ...spatial] };
}

const REDUCE = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp'];

/** Reduce*: the reduced axes become 1 (keepdims, the default) or go; no axes reduces all unless noop_with_empty_axes. */
function reduce(s: Site) {
  const x = s.x[0];
  if (!x) return undefined;
  const fromInput = s.node.inputs[1] ? s.contents(1) : undefined;
  if (s.node.inputs[1] && !fromInput) return undefined;
  const axes = s.attr<number[]>('axes') ?? fromInput ?? [];
  if (axes.some((a) => typeof a !== 'number')) return undefined;
  if (axes.length === 0 && s.attr<number>('noop_with_empty_axes') === 1) return { shape: x };
  const reduced = new Set(axes.length === 0 ? x.map((_, i) => i) : normalize(axes, x.length));
  const keep = (s.attr<number>('keepdims') ?? 1) === 1;
  return { shape: keep ? x.map((d, i) => (reduced.has(i) ? 1 : d)) : x.filter((_, i) => !reduced.has(i)) };
}

/** Flatten: [Π dims before axis, Π dims from axis], each a single dim as it is, else unknown unless all are numbers. */
function flatten(s: Site) {
  const x = s.x[0];
  if (!x) return undefined;
  const axis = normalize([s.attr<number>('axis') ?? 1], x.length)[0]!;
  const part = (dims: Shape) => (dims.length === 1 ? dims[0]! : dims.every((d) => typeof d === 'number') ? product(dims) : null);
  return { shape: [part(x.slice(0, axis)), part(x.slice(axis))] };
}

const SHAPE_RULES: Readonly<Record<string, ShapeRule>> = {
  ...Object.fromEntries(REDUCE.map((op) => [op, reduce])),
  Flatten: flatten,
  ...Object.fromEntries(SAME_SHAPE.map((op) => [op, (s: Site) => ({ shape: s.x[0] })])),
  ...Object.fromEntries(BROADCAST.map((op) => [op, (s: Site) => ({ shape: s.x.every((x) => x) ? broadcast(s.x as Shape[]) : undefined })])),
  Cast: (s) => ({ shape: s.x[0], contents: s.contents(0) }),
  Constant: (s) => {
    const t = s.attr<TensorLiteral>('value');
    const small = t && t.type === 'int64' && t.dims.length <= 1 && t.data.length <= 8;
    return t && { shape: [...t.dims], contents: small ? Array.from(t.data as BigInt64Array, Number) : undefined };
  },
  Shape: (s) => (s.x[0] && s.attr('start') === undefined && s.attr('end') === undefined ? { shape: [s.x[0].length], contents: s.x[0] } : undefined),
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: (s) => {
    const axes = axesOf(s);
    return axes && s.x[0] ? { shape: s.x[0].filter((_, i) => !normalize(axes, s.x[0]!.length).includes(i)) } : undefined;
  },
  Concat: concat,
  Reshape: reshape,
  Slice: slice,
  Split: split,
  // range(0, n, 1) has n elements; other bounds are left to run time.
  Range: (s) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => s.contents(i));
    return start?.[0] === 0 && delta?.[0] === 1 && limit?.length === 1 && limit[0] !== null ? { shape: [limit[0]!] } : undefined;
  },
  ConstantOfShape: (s) => ({ shape: s.contents(0) }),
  Transpose: (s) => {
    const perm = s.attr<number[]>('perm');
    return s.x[0] ? { shape: perm ? perm.map((p) => s.x[0]![p]!) : [...s.x[0]].reverse() } : undefined;
  },
  MatMul: (s) => {
    const [a, w] = s.x;
    if (!a || !w || a.length < 2 || w.length < 2) return undefined;
    return { shape: [...broadcast([a.slice(0, -2), w.slice(0, -2)]), a[a.length - 2]!, w[w.length - 1]!] };
  },
  Gemm: (s) => {
    const [a, w] = s.x;
    if (a?.length !== 2 || w?.length !== 2) return undefined;
    return { shape: [s.attr<number>('transA') ? a[1]! : a[0]!, s.attr<number>('transB') ? w[0]! : w[1]!] };
  },
  Conv: sliding,
  MaxPool: sliding,
  AveragePool: sliding,
  Expand: (s) => {
    const target = s.contents(1);
    return s.x[0] && target ? { shape: broadcast([s.x[0], target]) } : undefined;
  },
};

/** Passes until nothing new is learnt (one, for nodes in topological order; more where a builder appended a producer after its consumers). */
export function inferShapes(b: GraphBuilder): StaticShapes {
  const shapes = new Map<Value, Shape>();
  const contents = new Map<Value, Shape>();
  const shapeOf = (v: Value | null | undefined): Shape | undefined => (v ? (v.shape ?? shapes.get(v)) : undefined);
  for (let learnt = true; learnt;) {
    learnt = false;
    for (const node of b.nodes) {
      const y = node.outputs[0];
      if (!y || ((y.shape || shapes.has(y)) && contents.has(y))) continue;
      const result = inferNode(node, shapeOf, contents);
      (result?.outputs ?? [result?.shape]).forEach((shape, i) => {
        const v = node.outputs[i];
        if (v && shape && !v.shape && !shapes.has(v) && shape.every((d) => typeof d !== 'number' || d >= 0)) learnt = Boolean(shapes.set(v, shape));
      });
      if (result?.contents && !contents.has(y)) learnt = Boolean(contents.set(y, result.contents));
    }
  }
  return { shapeOf };
}

function inferNode(node: Node, shapeOf: (v: Value | null | undefined) => Shape | undefined, contents: ReadonlyMap<Value, Shape>) {
  const rule = node.domain === '' ? SHAPE_RULES[node.opType] : undefined;
  return rule?.({
    node,
    x: node.inputs.map(shapeOf),
    contents: (i) => (node.inputs[i] ? contents.get(node.inputs[i]!) : undefined),
    attr<T>(name: string) {
      const proto = node.attributes.find((a) => a.name === name);
      return proto === undefined ? undefined : (readAttribute(proto) as T);
    },
  });
}
