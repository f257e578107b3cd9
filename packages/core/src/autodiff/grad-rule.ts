// What a gradient rule is: one pure function of a forward node and its output gradients that
// returns, per input, a thunk making that input's gradient (called only when the input needs one).
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Dim, Node, Value } from '../graph/value.js';

export interface GradContext {
  readonly b: GraphBuilder;
  readonly node: Node;
  /** The node's inputs (null: an omitted optional input). */
  readonly x: readonly (Value | null)[];
  /** The node's outputs. */
  readonly y: readonly Value[];
  /** d loss / d y[0]; zeros when only other outputs carry a gradient. */
  readonly dy: Value;
  /** d loss / d y[i] for every output, null where none flows. */
  readonly dys: readonly (Value | null)[];
  /** The node's attribute `name`, decoded, or `fallback` when absent. */
  attr<T>(name: string, fallback: T): T;
  /** Sums `g`, shaped like the node's broadcast output, down to input i's shape. */
  unbroadcast(g: Value, i: number): Value;
  /** A value's shape where known: imported value_info, or inferred before the backward pass. */
  shapeOf(v: Value): Dim[] | undefined;
}

/**
 * dx for one input, made on demand; 'zero' says the output does not depend on that input's values
 * (CastLike's type donor): nothing is emitted. null declares the op not differentiable there, an
 * error when a target depends on that input.
 */
export type InputGrad = (() => Value) | 'zero' | null;

export type GradRule = (c: GradContext) => readonly InputGrad[];

export type RuleTable = Readonly<Record<string, GradRule>>;
