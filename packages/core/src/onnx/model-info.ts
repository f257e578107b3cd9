// A model's signature and size at a glance: what `twinembed info` prints.
import { dataTypeFromCode, isFloatType } from './data-type.js';
import { onnxOpset, toNumber, type GraphProto, type ModelProto, type TypeProto, type ValueInfoProto } from './proto.js';
import { elementCount, tensorDims } from './tensor-proto.js';

export interface ValueSignature {
  name: string;
  /** Element type ('float32', 'int64', …), or 'sequence' / 'map' / 'optional' for non-tensors. */
  type: string;
  /** Sizes, symbolic names, or null for an unknown dimension; null when the rank is unknown. */
  shape: (number | string | null)[] | null;
}

export interface ModelInfo {
  inputs: ValueSignature[];
  outputs: ValueSignature[];
  /** The ai.onnx opset. */
  opset: number;
  /** Node count per op type, subgraphs included; ops outside ai.onnx are keyed `domain.OpType`. */
  ops: Record<string, number>;
  /** Elements of all floating-point initializers and floating-point Constant tensors. */
  parameters: number;
}

function typeName(type: TypeProto | null | undefined): string {
  if (type?.tensorType) return dataTypeFromCode(type.tensorType.elemType ?? 0) ?? `type${type.tensorType.elemType}`;
  if (type?.sequenceType) return 'sequence';
  if (type?.mapType) return 'map';
  return 'unknown';
}

function signature(info: ValueInfoProto): ValueSignature {
  const dims = info.type?.tensorType?.shape?.dim;
  const shape = dims ? dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? toNumber(d.dimValue) : null)) : null;
  return { name: info.name ?? '', type: typeName(info.type), shape };
}

function isFloatCode(code: number | null | undefined): boolean {
  return isFloatType(dataTypeFromCode(code ?? 0));
}

export function modelInfo(model: ModelProto): ModelInfo {
  const graph = model.graph!;
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const ops: Record<string, number> = {};
  let parameters = 0;
  const stack: GraphProto[] = [graph];
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const t of g.initializer ?? []) if (isFloatCode(t.dataType)) parameters += elementCount(tensorDims(t));
    for (const node of g.node ?? []) {
      const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : (node.opType ?? '');
      ops[key] = (ops[key] ?? 0) + 1;
      for (const a of node.attribute ?? []) {
        if (node.opType === 'Constant' && !node.domain) parameters += constantFloatCount(a);
        if (a.g) stack.push(a.g);
        for (const inner of a.graphs ?? []) stack.push(inner);
      }
    }
  }
  return {
    inputs: (graph.input ?? []).filter((i) => !initializerNames.has(i.name)).map(signature),
    outputs: (graph.output ?? []).map(signature),
    opset: onnxOpset(model),
    ops: Object.fromEntries(Object.entries(ops).sort(([a], [b]) => a.localeCompare(b))),
    parameters,
  };
}

function constantFloatCount(a: NonNullable<NonNullable<GraphProto['node']>[number]['attribute']>[number]): number {
  if (a.name === 'value' && a.t && isFloatCode(a.t.dataType)) return elementCount(tensorDims(a.t));
  if (a.name === 'value_float') return 1;
  if (a.name === 'value_floats') return a.floats?.length ?? 0;
  return 0;
}
