// A fine-tuned USE lite model's float32 parameters (named by module path, PyTorch's [out, in]
// layout, as useLiteEncoder names them) put back into UseLiteWeights, so the same builder rebuilds
// the graph — int8 storage included — with the tuned values instead of a second quantizer.
import { decodeModel, tensorDataType, tensorDims, tensorValues, type ModelProto, type UseLiteLayerWeights, type UseLiteWeights } from '@twinembed/node';

type Dense = { kernel: Float32Array; bias: Float32Array };

/** [rows, cols] → [cols, rows] (exact: a copy in the other order). */
function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** The model's float32 initializers by name. */
export function floatInitializers(model: ModelProto | Uint8Array): Map<string, { dims: number[]; data: Float32Array }> {
  const proto = model instanceof Uint8Array ? decodeModel(model) : model;
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of proto.graph?.initializer ?? []) {
    if (tensorDataType(t) === 'float32') out.set(t.name ?? '', { dims: tensorDims(t), data: tensorValues(t) as Float32Array });
  }
  return out;
}

/**
 * `base` (the imported weights: shapes and the graph's literals) with every trainable array replaced
 * by the parameter of the same module path; throws when one is missing or has other dims, and when a
 * float32 initializer of `params` is not used (the builder's constants are Constant nodes, so every
 * float32 initializer is a parameter: nothing tuned can be dropped silently).
 */
export function useLiteWeightsFromParams(base: UseLiteWeights, params: ReadonlyMap<string, { dims: number[]; data: Float32Array }>): UseLiteWeights {
  const used = new Set<string>();
  const take = (name: string, dims: number[]): Float32Array => {
    const p = params.get(name);
    if (!p) throw new Error(`parameter "${name}": expected a float32 initializer, got none`);
    if (p.dims.join(',') !== dims.join(',')) throw new Error(`parameter "${name}": expected dims [${dims.join(', ')}], got [${p.dims.join(', ')}]`);
    used.add(name);
    return p.data;
  };
  // dense() stores kernel [in, out] as `${path}.weight` [out, in]
  const dense = (path: string, w: Dense): Dense => {
    const cols = w.bias.length;
    const rows = w.kernel.length / cols;
    return { kernel: transposed(take(`${path}.weight`, [cols, rows]), cols, rows), bias: take(`${path}.bias`, [cols]) };
  };
  const norm = (path: string, w: { scale: Float32Array; bias: Float32Array }) => ({ scale: take(`${path}.scale`, [w.scale.length]), bias: take(`${path}.bias`, [w.bias.length]) });
  const layer = (w: UseLiteLayerWeights, i: number): UseLiteLayerWeights => {
    const p = `layer.${i}`;
    return {
      ...w,
      attentionNorm: norm(`${p}.attention.layer_norm`, w.attentionNorm),
      qkv: dense(`${p}.attention.qkv`, w.qkv),
      output: dense(`${p}.attention.output`, w.output),
      ...(w.residual ? { residual: dense(`${p}.residual`, w.residual) } : {}),
      ffnNorm: norm(`${p}.ffn.layer_norm`, w.ffnNorm),
      conv1: dense(`${p}.ffn.conv1`, w.conv1),
      conv2: dense(`${p}.ffn.conv2`, w.conv2),
    };
  };
  // `twinembed finetune` promotes float Constants to parameters (legacy exporters store weights as
  // Constants): the position signal's inverse timescales, a Constant of the builder, come back trained
  // under the promoted name (`<constant>.param`), [1, embeddingWidth / 2].
  const promoted = [...params.entries()].filter(([name, p]) => name.endsWith('.param') && p.dims.join(',') === `1,${base.timescales.length}`);
  if (promoted.length > 1) throw new Error(`parameters: expected at most one promoted timescales constant, got ${promoted.map(([n]) => n).join(', ')}`);
  const timescales = promoted.length === 1 ? take(promoted[0]![0], [1, base.timescales.length]) : base.timescales;
  const weights: UseLiteWeights = {
    ...base,
    timescales,
    embeddings: take('embeddings', [base.vocabRows, base.embeddingWidth]),
    layers: base.layers.map(layer),
    hidden: dense('hidden', base.hidden),
  };
  const unused = [...params.keys()].filter((name) => !used.has(name));
  if (unused.length) throw new Error(`parameters not mapped to USE lite weights: ${unused.join(', ')}`);
  return weights;
}

