// Graph edits that move readers from one value to another: who reads each value, and the swap.
import type { Node, Value } from './value.js';

/** The nodes reading each value (a node reading a value twice is listed once). */
export function readersOf(nodes: readonly Node[]): Map<Value, Node[]> {
  const map = new Map<Value, Node[]>();
  for (const node of nodes) {
    for (const x of new Set(node.inputs)) {
      if (!x) continue;
      const list = map.get(x);
      if (list) list.push(node);
      else map.set(x, [node]);
    }
  }
  return map;
}

/** Makes `node` read `to` wherever it read `from`. */
export function rewire(node: Node, from: Value, to: Value): void {
  const inputs = node.inputs as (Value | null)[];
  inputs.forEach((x, i) => {
    if (x === from) inputs[i] = to;
  });
}
