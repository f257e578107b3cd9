// Every op conformance case, merged once from the per-family files, and the check that each op
// in OP_SCHEMAS has at least one: an op the builder can emit but no runtime has run is a gap.
import { fail } from '../errors.js';
import { DEFAULT_OPSET } from '../graph/graph-builder.js';
import { OP_SCHEMAS, type OpType } from '../graph/op-schemas.js';
import { CONV_CASES } from './conv-cases.js';
import { ELEMENTWISE_CASES } from './elementwise-cases.js';
import { INDEX_CASES } from './index-cases.js';
import { NN_CASES } from './nn-cases.js';
import type { OpCase } from './op-case.js';
import { REDUCE_CASES } from './reduce-cases.js';
import { SHAPE_CASES } from './shape-cases.js';

export type { OpCase, OpCaseSpec, Precision, Tensors } from './op-case.js';

function merge(groups: readonly (readonly OpCase[])[]): readonly OpCase[] {
  const names = new Set<string>();
  for (const c of groups.flat()) {
    if (names.has(c.name)) fail('conformance', `op case "${c.name}" is defined twice: case names must be unique`);
    names.add(c.name);
  }
  return Object.freeze(groups.flat());
}

export const OP_CASES: readonly OpCase[] = merge([ELEMENTWISE_CASES, REDUCE_CASES, SHAPE_CASES, INDEX_CASES, NN_CASES, CONV_CASES]);

/** Ops in OP_SCHEMAS that no case covers (empty when the suite is complete). */
export function uncoveredOps(cases: readonly OpCase[] = OP_CASES): OpType[] {
  const covered = new Set(cases.flatMap((c) => c.ops));
  return (Object.keys(OP_SCHEMAS) as OpType[]).filter((op) => !covered.has(op));
}

/** One run of a case: the case at one of its opsets, keyed "name @ opset N". */
export interface OpCaseRun {
  readonly key: string;
  readonly opCase: OpCase;
  readonly opset: number;
}

/** Every case at each of its opsets (DEFAULT_OPSET when it lists none), or at `opset` only when given. */
export function expandOpCases(cases: readonly OpCase[] = OP_CASES, opset?: number): OpCaseRun[] {
  return cases.flatMap((opCase) => (opset !== undefined ? [opset] : (opCase.opsets ?? [DEFAULT_OPSET]))
    .map((at) => ({ key: `${opCase.name} @ opset ${at}`, opCase, opset: at })));
}
