// Reverse-mode autodiff over a GraphBuilder: appends the gradient nodes of `loss` w.r.t. each
// target, in standard ai.onnx ops. Only nodes on a path from a target to the loss are visited,
// in reverse topological order (the builder's node list is topologically ordered; no recursion).
import { fail } from '../errors.js';
import { readAttribute } from '../graph/attributes.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { typedArrayOf } from '../graph/graph-builder.js';
import { pruneDeadNodes } from '../graph/prune-dead-nodes.js';
import type { Node, Value } from '../graph/value.js';
import { isFloatType } from '../onnx/data-type.js';
import type { GradContext, GradRule } from './grad-rule.js';
import { GRAD_RULES, NO_GRAD } from './rules/index.js';
import { inferShapes, type StaticShapes } from '../graph/static-shapes.js';
import { sumToShape } from './unbroadcast.js';

export interface BackwardOptions {
  /** The value to differentiate; any shape (a non-scalar loss is summed). */
  loss: Value;
  /** The values to differentiate with respect to: parameters, inputs or intermediate values. */
  wrt: readonly Value[];
  /** d loss / d loss (default: ones shaped like the loss). */
  seed?: Value;
  /** Gradient rules by op type (default: GRAD_RULES). */
  rules?: ReadonlyMap<string, GradRule>;
}

/** Appends gradient nodes to `b`; returns d loss / d target for each target (zeros where the loss does not depend on it). */
export function backward(b: GraphBuilder, options: BackwardOptions): Value[] {
  const { loss, wrt } = options;
  const rules = options.rules ?? GRAD_RULES;
  b.checkOwn(loss);
  wrt.forEach((w) => b.checkOwn(w));
  if (!isFloatType(loss.type)) fail('autodiff', `backward: expected a floating-point loss, got ${loss.type ?? 'an unknown type'} (${loss})`);
  const { active, tainted } = activeNodes(b, loss, wrt, rules);
  const shapes = inferShapes(b);
  const start = b.nodes.length;
  const grads = new Map<Value, Value[]>();
  if (tainted.has(loss)) grads.set(loss, [options.seed ?? b.op.Expand(b.scalar(1, loss.type), b.op.Shape(loss))]);
  for (let k = active.length - 1; k >= 0; k--) {
    const node = active[k]!;
    const dys = node.outputs.map((y) => sumGrads(b, grads.get(y)));
    if (dys.every((g) => g === null)) continue;
    const made = rules.get(node.opType)!(context(b, node, dys, shapes));
    node.inputs.forEach((x, i) => {
      if (x === null || !tainted.has(x)) return;
      const make = made[i];
      if (make === 'zero') return;
      if (!make) fail('autodiff', `${node.opType} node "${node.name}": no gradient w.r.t. input ${i} (${x}), which depends on a target; the op is not differentiable there`);
      const list = grads.get(x) ?? [];
      list.push(make());
      grads.set(x, list);
    });
  }
  const result = wrt.map((w) => sumGrads(b, grads.get(w)) ?? zerosLike(b, w));
  pruneDeadNodes(b, result, start); // the Expands sumGrads folded away, and any value a rule made but did not use
  return result;
}

/** Nodes between the targets and the loss, in forward order, and every value that depends on a target. */
function activeNodes(b: GraphBuilder, loss: Value, wrt: readonly Value[], rules: ReadonlyMap<string, GradRule>) {
  const ancestors = new Set<Node>();
  const stack: Node[] = loss.producer ? [loss.producer] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ancestors.has(node)) continue;
    ancestors.add(node);
    for (const x of node.inputs) if (x?.producer && !ancestors.has(x.producer)) stack.push(x.producer);
  }
  const tainted = new Set<Value>(wrt);
  const active: Node[] = [];
  for (const node of b.nodes) {
    if (!ancestors.has(node) || NO_GRAD.has(node.opType) || !node.inputs.some((x) => x !== null && tainted.has(x))) continue;
    const floats = node.outputs.filter((y) => y.name !== '' && (y.type === undefined || isFloatType(y.type)));
    if (floats.length === 0) continue;
    if (node.domain !== '' || !rules.has(node.opType)) {
      const supported = [...rules.keys()].sort().join(', ');
      fail('autodiff', `no gradient rule for ${node.domain ? `${node.domain}.` : ''}${node.opType} (node "${node.name}", on the path from a target to the loss): expected one of ${supported}; declared non-differentiable: ${[...NO_GRAD].join(', ')}`);
    }
    active.push(node);
    floats.forEach((y) => tainted.add(y));
  }
  return { active, tainted };
}

function context(b: GraphBuilder, node: Node, dys: (Value | null)[], shapes: StaticShapes): GradContext {
  const first = node.outputs[0]!;
  return {
    b, node, x: node.inputs, y: node.outputs, dys,
    get dy() {
      return dys[0] ?? zerosLike(b, first);
    },
    attr<T>(name: string, fallback: T): T {
      const proto = node.attributes.find((a) => a.name === name);
      return proto === undefined ? fallback : (readAttribute(proto) as T);
    },
    unbroadcast: (g, i) => sumToShape(b, g, node.inputs[i]!, node.inputs, first, undefined, shapes.shapeOf),
    shapeOf: shapes.shapeOf,
  };
}

/**
 * The sum of a value's gradient contributions. One that only broadcasts a smaller tensor to x's shape
 * (a reduction's gradient, an Expand) joins by broadcasting instead, once some contribution is full
 * size: Sum broadcasts, and the result is x-shaped all the same, without the full-size copy.
 */
function sumGrads(b: GraphBuilder, list: Value[] | undefined): Value | null {
  if (!list || list.length === 0) return null;
  if (list.length === 1) return list[0]!;
  const expanded = (g: Value) => g.producer?.opType === 'Expand' && g.producer.domain === '';
  if (list.every(expanded)) return b.node('Sum', list)[0]!;
  return b.node('Sum', list.map((g) => (expanded(g) ? g.producer!.inputs[0]! : g)))[0]!;
}

/** Zeros shaped like `v`: a target the loss does not depend on. */
export function zerosLike(b: GraphBuilder, v: Value): Value {
  const type = v.type ?? 'float32';
  return b.op.ConstantOfShape(b.op.Shape(v), { value: { type, dims: [1], data: typedArrayOf(type, [0]) } });
}
