// An existing model → GraphBuilder, so later stages can append to it (pooling, losses,
// gradients). Names, node order, attributes and everything else are kept as they are.
import { fail } from '../errors.js';
import { dataTypeFromCode, type DataType } from '../onnx/data-type.js';
import { onnxOpset, toNumber, type GraphProto, type ModelProto, type NodeProto, type ValueInfoProto } from '../onnx/proto.js';
import { tensorDims } from '../onnx/tensor-proto.js';
import { GraphBuilder } from './graph-builder.js';
import { opSchema } from './op-schemas.js';
import { topologicalOrder } from './topological-order.js';
import { Value, type Dim } from './value.js';

export function importModel(model: ModelProto): GraphBuilder {
  const graph = model.graph;
  if (!graph) fail('graph', 'cannot import a model without a graph');
  const b = new GraphBuilder({ opset: onnxOpset(model), name: graph.name ?? 'graph' });
  b.envelope = {
    model,
    opsetImports: [...(model.opsetImport ?? [])],
    valueInfo: [...(graph.valueInfo ?? [])],
    sparseInitializers: [...(graph.sparseInitializer ?? [])],
  };
  const infos = new Map<string, ValueInfoProto>();
  for (const info of [...(graph.valueInfo ?? []), ...(graph.input ?? []), ...(graph.output ?? [])]) infos.set(info.name ?? '', info);

  for (const tensor of graph.initializer ?? []) {
    const value = b.addInitializer(tensor, dataTypeFromCode(tensor.dataType ?? 0), tensorDims(tensor));
    value.info = infos.get(value.name);
  }
  for (const input of graph.input ?? []) {
    const name = input.name ?? '';
    // Before IR 4, initializers were also listed as inputs; they stay listed, backed by the initializer.
    const value = b.hasValue(name) ? b.value(name) : b.registerValue(new Value(b, name, 'input', ...typeAndShape(input)));
    value.info = input;
    b.inputs.push(value);
  }
  const available = [...(graph.initializer ?? []), ...(graph.input ?? [])].map((v) => v.name ?? '');
  for (const node of topologicalOrder(graph.node ?? [], available)) importNode(b, node, infos);
  for (const output of graph.output ?? []) {
    const value = b.value(output.name ?? '');
    value.info = output;
    b.outputs.push(value);
  }
  // After the main graph: subgraphs legitimately repeat the outer names they read.
  b.reserveNames(subgraphNames(graph));
  return b;
}

function importNode(b: GraphBuilder, node: NodeProto, infos: Map<string, ValueInfoProto>): void {
  const inputs = (node.input ?? []).map((name) => {
    if (name === '') return null;
    if (!b.hasValue(name)) fail('graph', `node "${node.name}" (${node.opType}) reads "${name}", which no input, initializer or earlier node produces`);
    return b.value(name);
  });
  const names = node.output ?? [];
  const inferred = inferTypes(node, inputs.map((v) => v?.type), names.length);
  const outputTypes = names.map((name, i) => typeAndShape(infos.get(name))[0] ?? inferred[i]);
  const outputs = b.appendNode({
    opType: node.opType ?? '', domain: node.domain ?? '', inputs, attributes: node.attribute ?? [], proto: node, outputTypes, outputNames: names,
  });
  for (const value of outputs) value.shape = typeAndShape(infos.get(value.name))[1];
}

function inferTypes(node: NodeProto, inputTypes: (DataType | undefined)[], count: number): (DataType | undefined)[] {
  const schema = node.domain ? undefined : opSchema(node.opType ?? '');
  if (!schema?.outType) return Array.from({ length: count }, () => inputTypes[0]);
  // Only what output types depend on: element-type attributes and the type of tensor attributes.
  const attrs: Record<string, unknown> = {};
  for (const a of node.attribute ?? []) {
    if (a.t) attrs[a.name ?? ''] = { type: dataTypeFromCode(a.t.dataType ?? 0) };
    else if (schema.attrs?.[a.name ?? ''] === 'dtype') attrs[a.name ?? ''] = dataTypeFromCode(toNumber(a.i));
  }
  return Array.from({ length: count }, (_, i) => schema.outType!(inputTypes, attrs, i));
}

export function typeAndShape(info: ValueInfoProto | undefined): [DataType | undefined, Dim[] | undefined] {
  const tensor = info?.type?.tensorType;
  if (!tensor) return [undefined, undefined];
  const shape = tensor.shape?.dim?.map((d): Dim => (d.dimParam ? d.dimParam : d.dimValue != null ? toNumber(d.dimValue) : null));
  return [dataTypeFromCode(tensor.elemType ?? 0), shape];
}

/** Every name used inside subgraphs (If/Loop/Scan bodies), so new values never collide with them. */
function subgraphNames(graph: GraphProto): string[] {
  const names: string[] = [];
  const stack: GraphProto[] = [];
  const pushSubgraphs = (g: GraphProto) => {
    for (const node of g.node ?? []) for (const a of node.attribute ?? []) for (const inner of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) stack.push(inner);
  };
  pushSubgraphs(graph);
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const node of g.node ?? []) for (const name of [...(node.input ?? []), ...(node.output ?? [])]) names.push(name);
    for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) names.push(v.name ?? '');
    for (const t of g.initializer ?? []) names.push(t.name ?? '');
    pushSubgraphs(g);
  }
  return names.filter((n) => n !== '');
}
