// Drops the nodes whose outputs reach none of the roots (default: the graph outputs). onnxruntime
// runs every node it is given, so a value nothing reads costs time on each run: an encoder output the
// loss ignores (BERT's pooler), or a gradient contribution that backward folded into a cheaper one.
import type { GraphBuilder } from './graph-builder.js';
import { subgraphReads } from './topological-order.js';
import type { Node, Value } from './value.js';

/**
 * Removes dead nodes at index ≥ `from` in `b.nodes` (earlier ones always stay), with the value_info
 * of what they made; returns how many went. `roots` are the values that must stay computable. The
 * node list need not be in order (mergeBranches appends the Concat its encoder reads).
 */
export function pruneDeadNodes(b: GraphBuilder, roots: readonly Value[] = b.outputs, from = 0): number {
  const producers = new Map<string, Node>();
  for (const node of b.nodes) for (const y of node.outputs) producers.set(y.name, node);
  const live = new Set<Node>(b.nodes.slice(0, from));
  const pending = [...roots.map((v) => v.name), ...[...live].flatMap(reads)];
  while (pending.length > 0) {
    const node = producers.get(pending.pop()!);
    if (!node || live.has(node)) continue;
    live.add(node);
    for (const name of reads(node)) pending.push(name);
  }
  const dead = b.nodes.filter((n) => !live.has(n));
  if (dead.length === 0) return 0;
  const deadNames = new Set(dead.flatMap((n) => n.outputs.map((y) => y.name)));
  b.removeNodes(new Set(dead));
  if (b.envelope) b.envelope.valueInfo = b.envelope.valueInfo.filter((info) => !deadNames.has(info.name ?? ''));
  return dead.length;
}

/** The names a node reads: its inputs, and what its subgraphs read from the outer scope. */
function reads(node: Node): string[] {
  return [...node.inputs.flatMap((x) => (x ? [x.name] : [])), ...subgraphReads(node.attributes)];
}
