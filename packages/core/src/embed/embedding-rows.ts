// The number of rows of the token-embedding table the ids index, so a tokenizer whose ids run
// past it is rejected before onnxruntime fails deep inside a Gather.
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { tensorDims } from '../onnx/tensor-proto.js';

function rowsOf(table: Value | null | undefined): number | undefined {
  if (!table) return undefined;
  if (typeof table.shape?.[0] === 'number') return table.shape[0];
  const constant = table.producer?.opType === 'Constant' ? table.producer.attributes.find((a) => a.name === 'value')?.t : undefined;
  return constant ? tensorDims(constant)[0] : undefined;
}

/** Rows of the table a Gather reads with `ids` (directly or through a Cast); undefined when not found. */
export function embeddingRows(b: GraphBuilder, ids: string): number | undefined {
  const sources = new Set([ids]);
  for (const node of b.nodes) {
    const index = node.inputs[node.opType === 'Gather' ? 1 : 0];
    if (!index || !sources.has(index.name)) continue;
    if (node.opType === 'Cast') sources.add(node.outputs[0]!.name);
    else if (node.opType === 'Gather') return rowsOf(node.inputs[0]);
  }
  return undefined;
}
