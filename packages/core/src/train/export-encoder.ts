// The fine-tuned encoder as a standalone model: the original export with the trained values baked
// in as initializers, found by re-running the same parameter discovery the train step ran (it is
// deterministic, so promoted Constants and untied copies get the same names), plus optional pooling.
import { discoverParameters, type ParameterOptions } from '../autodiff/parameters.js';
import { poolEmbedding } from '../embed/pooling.js';
import type { Pooling } from '../embed/manifest.js';
import { fail } from '../errors.js';
import { importModel } from '../graph/import-model.js';
import { foldDequantizeLinear } from '../onnx/fold-dequantize-linear.js';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/proto.js';
import { makeTensorProto } from '../onnx/tensor-proto.js';
import type { Tensor } from '../runtime/runtime.js';

export interface ExportEncoderOptions {
  /** The same encoder the train step was built from. */
  encoder: Uint8Array | ModelProto;
  /** Trained values by train-step parameter name. */
  params: Readonly<Record<string, Tensor>>;
  /** The train step's `discovery` settings. */
  discovery: Pick<ParameterOptions, 'trainable' | 'tied'>;
  /** Also output the pooled rows as `embeddings` (default: the encoder's outputs only). */
  pooling?: Pooling;
  /** The encoder output to pool (default: its first). */
  output?: string;
}

export function exportEncoder(options: ExportEncoderOptions): Uint8Array {
  const b = importModel(foldDequantizeLinear(options.encoder instanceof Uint8Array ? decodeModel(options.encoder) : options.encoder)); // as the train step folded it
  const params = discoverParameters(b, options.discovery);
  for (const p of params.values()) {
    const trained = options.params[p.value.name];
    if (!trained) fail('train', `export encoder: expected a trained value for parameter "${p.value.name}", got none (was the train step built with the same discovery settings?)`);
    if (trained.dims.join(',') !== p.dims.join(',')) fail('train', `export encoder: parameter "${p.value.name}": expected dims [${p.dims.join(', ')}], got [${trained.dims.join(', ')}]`);
    b.initializers.set(p.value.name, makeTensorProto(p.value.name, 'float32', p.dims, trained.data));
  }
  if (options.pooling) {
    const encoded = b.value(options.output ?? b.outputs[0]!.name);
    const mask = b.hasValue('attention_mask') ? b.value('attention_mask') : undefined;
    b.output(poolEmbedding(b, encoded, options.pooling, mask), 'embeddings');
  }
  return encodeModel(b.toModel());
}
