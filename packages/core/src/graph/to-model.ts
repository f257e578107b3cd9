// GraphBuilder → ModelProto. An imported model keeps everything the builder does not model
// (metadata, functions, value_info, doc strings) and its own opset imports.
import { fail } from '../errors.js';
import { dataTypeCode } from '../onnx/data-type.js';
import type { GraphProto, ModelProto, NodeProto, OperatorSetIdProto, ValueInfoProto } from '../onnx/proto.js';
import type { GraphBuilder } from './graph-builder.js';
import { inferShapes, type StaticShapes } from './static-shapes.js';
import type { Dim, Node, Value } from './value.js';

/** The IR version that goes with an opset (onnx/helper.py VERSION_TABLE). */
export function irVersionForOpset(opset: number): number {
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  if (opset >= 13) return 7;
  if (opset >= 9) return 4;
  return 3;
}

export function valueInfoOf(value: Value, role: string, dims: readonly Dim[] | undefined = value.shape): ValueInfoProto {
  if (value.info) return withShape(value.info, dims);
  if (!value.type) fail('graph', `${role} "${value.name}": its element type is unknown, so it cannot be declared (cast it or give the input a type)`);
  const shape = dims && { dim: dims.map(dimProto) };
  return { name: value.name, type: { tensorType: { elemType: dataTypeCode(value.type), ...(shape ? { shape } : {}) } } };
}

/** An imported tensor declaration, with `dims` as its shape where it gave none. */
function withShape(info: ValueInfoProto, dims: readonly Dim[] | undefined): ValueInfoProto {
  const tensor = info.type?.tensorType;
  if (!tensor || tensor.shape || !dims) return info;
  return { ...info, type: { ...info.type, tensorType: { ...tensor, shape: { dim: dims.map(dimProto) } } } };
}

function dimProto(dim: Dim): { dimValue?: number; dimParam?: string } {
  if (typeof dim === 'number') return { dimValue: dim };
  return typeof dim === 'string' ? { dimParam: dim } : {};
}

function nodeProto(node: Node): NodeProto {
  return {
    ...node.proto,
    name: node.name,
    opType: node.opType,
    domain: node.domain,
    input: node.inputs.map((v) => v?.name ?? ''),
    output: node.outputs.map((v) => v.name),
    attribute: [...node.attributes],
  };
}

function opsetImports(b: GraphBuilder): OperatorSetIdProto[] {
  const imports = b.envelope ? [...b.envelope.opsetImports] : [{ domain: '', version: b.opset }];
  const known = new Set(imports.map((o) => (o.domain === 'ai.onnx' ? '' : (o.domain ?? ''))));
  for (const node of b.nodes) {
    if (!known.has(node.domain)) {
      known.add(node.domain);
      imports.push({ domain: node.domain, version: 1 });
    }
  }
  return imports;
}

/**
 * Shape inference for declaring outputs. It is an annotation the runtimes do not need, so a graph it
 * cannot read (an attribute of an unexpected kind on an op it has a rule for) is written as before,
 * with those outputs' shapes left out, rather than refused.
 */
function outputShapes(b: GraphBuilder): StaticShapes | undefined {
  try {
    return inferShapes(b);
  } catch {
    return undefined;
  }
}

export function buildModel(b: GraphBuilder): ModelProto {
  const envelope = b.envelope;
  // The ONNX checker wants every graph output's shape; ops give types, so infer the shapes ops do not.
  const inferred = b.outputs.some((v) => !v.shape) ? outputShapes(b) : undefined;
  const graph: GraphProto = {
    ...envelope?.model.graph,
    name: b.name,
    node: b.nodes.map(nodeProto),
    initializer: [...b.initializers.values()],
    input: b.inputs.map((v) => valueInfoOf(v, 'graph input')),
    output: b.outputs.map((v) => valueInfoOf(v, 'graph output', v.shape ?? inferred?.shapeOf(v))),
    valueInfo: envelope?.valueInfo.filter((info) => b.hasValue(info.name ?? '')) ?? [],
    sparseInitializer: envelope?.sparseInitializers ?? [],
  };
  return {
    ...envelope?.model,
    irVersion: envelope?.model.irVersion ?? irVersionForOpset(b.opset),
    producerName: envelope?.model.producerName ?? 'twinembed',
    opsetImport: opsetImports(b),
    graph,
  };
}
