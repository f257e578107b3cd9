// Twin branches share one set of weights, so the encoder runs once: each role's inputs are
// concatenated along the batch (token inputs right-padded with 0 to the longest role, which the
// attention mask hides), and the pooled rows are split back into one block per role afterwards.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { readersOf, rewire } from '../graph/rewire.js';
import { concatenatedSize } from '../graph/static-shapes.js';
import type { Value } from '../graph/value.js';
import { isFloatType } from '../onnx/data-type.js';

/** A train-step input fed per role: graph input `name` = `${role}.${encoderInput}`. */
export interface BranchInput {
  readonly name: string;
  readonly role: string;
  readonly encoderInput: string;
}

export interface MergedBranches {
  readonly feeds: BranchInput[];
  /** Encoder input name → the concatenated value the encoder now reads. */
  readonly merged: Map<string, Value>;
}

/** Replaces the encoder's inputs by the concatenation of one input per role; returns what to feed. */
export function mergeBranches(b: GraphBuilder, roles: readonly string[], encoderInputs: readonly Value[]): MergedBranches {
  if (roles.length === 0) fail('train', 'twin branches: expected at least one role, got none');
  const consumers = readersOf(b.nodes);
  const start = b.nodes.length;
  const feeds: BranchInput[] = [];
  const mergedByName = new Map<string, Value>();
  for (const x of encoderInputs) {
    if (!x.type || !x.shape || x.shape.length === 0) fail('train', `twin branches: encoder input "${x.name}" needs a known type and rank, got ${x.type ?? 'no type'}, ${x.shape ? `rank ${x.shape.length}` : 'no shape'}`);
    const padded = !isFloatType(x.type) && x.shape.length === 2;
    const parts = roles.map((role) => {
      feeds.push({ name: `${role}.${x.name}`, role, encoderInput: x.name });
      return b.input(`${role}.${x.name}`, x.type!, ['batch', ...x.shape!.slice(1).map((d, i) => (padded && i === 0 ? `${role}.sequence` : d))]);
    });
    const merged = roles.length === 1 ? parts[0]! : b.node('Concat', padded ? padToLongest(b, parts) : parts, { axis: 0 })[0]!;
    // The encoder input's own dims (its symbols are what its declared values use), the batch renamed below
    merged.shape ??= [mergedBatch(roles), ...x.shape.slice(1)];
    for (const node of consumers.get(x) ?? []) rewire(node, x, merged);
    b.inputs.splice(b.inputs.indexOf(x), 1);
    mergedByName.set(x.name, merged);
  }
  renameEncoderBatch(b, encoderInputs, mergedBatch(roles));
  // They read graph inputs only; the encoder reads them: first, in topological order.
  const reordered = [...b.nodes.slice(start), ...b.nodes.slice(0, start)];
  b.nodes.length = 0;
  for (const n of reordered) b.nodes.push(n);
  return { feeds, merged: mergedByName };
}

/** The symbol of all roles' rows together: the size shape inference gives a Concat of the roles' 'batch'. */
const mergedBatch = (roles: readonly string[]) => concatenatedSize(roles.map(() => 'batch')) as string;

/**
 * Inside the encoder the batch is now every role's rows, while the role inputs' 'batch' counts one
 * role's. Declared dims named like an encoder input's batch (at any axis: a transposed value has it
 * elsewhere) are renamed to what shape inference calls the joined rows ('batch+batch' for two roles:
 * see graph/static-shapes.ts), so the encoder's values still match one another, and never a role's.
 */
function renameEncoderBatch(b: GraphBuilder, encoderInputs: readonly Value[], merged: string): void {
  const symbols = new Set(encoderInputs.map((x) => x.shape?.[0]).filter((d): d is string => typeof d === 'string'));
  for (const node of b.nodes) {
    for (const v of node.outputs) if (v.shape?.some((d) => typeof d === 'string' && symbols.has(d))) v.shape = v.shape.map((d) => (typeof d === 'string' && symbols.has(d) ? merged : d));
  }
}

/** Splits [roles × batch, …] rows into one [batch, …] block per role (every role has the same batch size). */
export function splitRows(b: GraphBuilder, rows: Value, roles: readonly string[], firstRoleInput: Value): Value[] {
  if (roles.length === 1) return [rows];
  const batch = b.op.Slice(b.op.Shape(firstRoleInput), { starts: [0], ends: [1], axes: [0] });
  const sizes = b.node('Concat', roles.map(() => batch), { axis: 0 })[0]!;
  return b.node('Split', [rows], { axis: 0, split: sizes }, { outputs: roles.length });
}

/** Right-pads each [batch, sequence] part with 0 to the longest sequence among them. */
function padToLongest(b: GraphBuilder, parts: readonly Value[]): Value[] {
  const lengths = parts.map((p) => b.op.Slice(b.op.Shape(p), { starts: [1], ends: [2], axes: [0] }));
  const longest = b.node('Max', lengths)[0]!;
  return parts.map((p, i) => {
    const pads = b.op.Concat(b.int64s([0, 0, 0]), b.op.Sub(longest, lengths[i]!), { axis: 0 });
    return b.node('Pad', [p, pads, b.scalar(0, p.type)])[0]!;
  });
}

