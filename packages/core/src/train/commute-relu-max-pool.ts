// Relu then MaxPool becomes MaxPool then Relu in a train step's forward graph: the two commute
// (max is monotonic and relu(max) = max(relu); a padded window still holds a real element), and
// PyTorch's gradient is the same too (dy goes to the first maximum, and is zero where that maximum
// is ≤ 0). The Relu then runs on the pooled tensor, as does its gradient mask: for a 2×2 pool a
// quarter of the elements. The exported encoder keeps the user's graph; only the step is rewritten.
import type { GraphBuilder } from '../graph/graph-builder.js';
import { readersOf, rewire } from '../graph/rewire.js';

/** Rewrites every Relu → MaxPool pair whose Relu output only that MaxPool reads; returns how many. */
export function commuteReluMaxPool(b: GraphBuilder): number {
  const readers = readersOf(b.nodes);
  let count = 0;
  for (let i = 0; i < b.nodes.length; i++) {
    const pool = b.nodes[i]!;
    const activated = pool.inputs[0];
    const relu = activated?.producer;
    const indices = pool.outputs[1];
    if (pool.opType !== 'MaxPool' || pool.domain !== '' || (indices && indices.name !== '') || relu?.opType !== 'Relu' || relu.domain !== '') continue;
    if (readers.get(activated!)?.length !== 1 || b.outputs.includes(activated!)) continue;
    const pooled = b.appendNode({ opType: 'MaxPool', domain: '', inputs: [relu.inputs[0]!], attributes: pool.attributes, outputTypes: [pool.outputs[0]!.type], name: pool.name })[0]!;
    const result = b.op.Relu(pooled);
    b.nodes.splice(i + 1, 0, ...b.nodes.splice(b.nodes.length - 2, 2)); // in order, right after the old pair
    const old = pool.outputs[0]!;
    for (const reader of readers.get(old) ?? []) rewire(reader, old, result);
    b.outputs.forEach((v, k) => { if (v === old) b.outputs[k] = result; });
    count++;
  }
  return count;
}
