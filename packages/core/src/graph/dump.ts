// A readable text form of a graph, one line per node, for debugging and snapshot tests.
import type { DataType } from '../onnx/data-type.js';
import { formatAttribute } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';
import type { Dim, Node, Value } from './value.js';

function typeText(type: DataType | undefined, shape: readonly Dim[] | undefined): string {
  const dims = shape ? `[${shape.map((d) => d ?? '?').join(',')}]` : '';
  return `${type ?? '?'}${dims}`;
}

function valueText(value: Value | null): string {
  return value === null ? '_' : `%${value.name}`;
}

export function nodeLine(node: Node): string {
  const op = node.domain ? `${node.domain}.${node.opType}` : node.opType;
  const attrs = node.attributes.length > 0 ? ` {${node.attributes.map((a) => formatAttribute(a, node.opType)).join(', ')}}` : '';
  const outputs = node.outputs.map(valueText).join(', ');
  return `${outputs} = ${op}(${node.inputs.map(valueText).join(', ')})${attrs}`;
}

/** One header line, then inputs, initializers, nodes in order, and outputs. */
export function dumpGraph(b: GraphBuilder): string {
  const initializers = [...b.initializers.keys()].map((name) => b.value(name));
  const lines = [
    `graph "${b.name}" opset ${b.opset}: ${b.inputs.length} inputs, ${initializers.length} initializers, ${b.nodes.length} nodes, ${b.outputs.length} outputs`,
    ...b.inputs.filter((v) => v.kind === 'input').map((v) => `input  %${v.name}: ${typeText(v.type, v.shape)}`),
    ...initializers.map((v) => `init   %${v.name}: ${typeText(v.type, v.shape)}`),
    ...b.nodes.map(nodeLine),
    ...b.outputs.map((v) => `output %${v.name}: ${typeText(v.type, v.shape)}`),
  ];
  return `${lines.join('\n')}\n`;
}
