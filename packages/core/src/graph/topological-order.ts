// Node order for import. ONNX asks for topologically sorted nodes, but optimizer outputs in
// the wild are not always sorted (onnxruntime accepts them): sort stably, keeping file order
// wherever it is already valid, and iteratively (no recursion, whatever the graph's depth).
import { fail } from '../errors.js';
import type { AttributeProto, GraphProto, NodeProto } from '../onnx/proto.js';

/** Names the subgraphs (If/Loop/Scan bodies) in these attributes read, outer-scope ones among them. */
export function subgraphReads(attributes: readonly AttributeProto[]): string[] {
  const names: string[] = [];
  const stack: GraphProto[] = [];
  const pushGraphs = (a: AttributeProto) => {
    if (a.g) stack.push(a.g);
    for (const g of a.graphs ?? []) stack.push(g);
  };
  for (const a of attributes) pushGraphs(a);
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const inner of g.node ?? []) {
      for (const name of inner.input ?? []) names.push(name);
      for (const a of inner.attribute ?? []) pushGraphs(a);
    }
  }
  return names.filter((n) => n !== '');
}

/** Names a node reads: its inputs, and outer-scope names its subgraphs read. */
function reads(node: NodeProto): string[] {
  return [...(node.input ?? []).filter((n) => n !== ''), ...subgraphReads(node.attribute ?? [])];
}

export function topologicalOrder(nodes: readonly NodeProto[], available: Iterable<string>): NodeProto[] {
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => node.output?.forEach((name) => name !== '' && producer.set(name, i)));
  const known = new Set(available);
  const waiting = nodes.map(() => 0);
  const consumers = nodes.map((): number[] => []);
  nodes.forEach((node, i) => {
    for (const name of new Set(reads(node))) {
      const p = producer.get(name);
      if (p !== undefined && p !== i) {
        waiting[i]!++;
        consumers[p]!.push(i);
      } else if (p === undefined && !known.has(name) && (node.input ?? []).includes(name)) {
        fail('graph', `node "${node.name}" (${node.opType}) reads "${name}", which no input, initializer or node produces`);
      }
    }
  });
  // Ready nodes are taken lowest file index first, so an already sorted graph keeps its order.
  const ready = nodes.map((_, i) => i).filter((i) => waiting[i] === 0).reverse();
  const order: NodeProto[] = [];
  while (ready.length > 0) {
    const i = ready.pop()!;
    order.push(nodes[i]!);
    for (const c of consumers[i]!) if (--waiting[c]! === 0) insertDescending(ready, c);
  }
  if (order.length !== nodes.length) fail('graph', `the graph has a cycle: ${nodes.length - order.length} nodes depend on each other`);
  return order;
}

/** Keeps `list` sorted high → low so pop() yields the lowest index. */
function insertDescending(list: number[], value: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! > value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}
