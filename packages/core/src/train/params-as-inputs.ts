// Turns initializers into graph inputs, so that one session serves every step: the trainer feeds
// the current parameters instead of re-serializing the model with new initializer values.
import { fail } from '../errors.js';
import type { ModelProto } from '../onnx/proto.js';

const FLOAT = 1;

export function paramsAsInputs(model: ModelProto, params: readonly { name: string; dims: readonly number[] }[]): ModelProto {
  const graph = model.graph!;
  const names = new Set(params.map((p) => p.name));
  const found = new Set((graph.initializer ?? []).map((t) => t.name ?? '').filter((n) => names.has(n)));
  const missing = params.filter((p) => !found.has(p.name)).map((p) => p.name);
  if (missing.length > 0) fail('train', `parameters as inputs: expected initializers named ${missing.join(', ')}, found none`);
  const inputs = (graph.input ?? []).filter((v) => !names.has(v.name ?? '')); // models before IR 4 list initializers as inputs too
  const declared = params.map((p) => ({ name: p.name, type: { tensorType: { elemType: FLOAT, shape: { dim: p.dims.map((d) => ({ dimValue: d })) } } } }));
  return {
    ...model,
    irVersion: Math.max(Number(model.irVersion ?? 0), 4),
    graph: { ...graph, initializer: (graph.initializer ?? []).filter((t) => !names.has(t.name ?? '')), input: [...inputs, ...declared] },
  };
}
