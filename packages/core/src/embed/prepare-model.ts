// Model files + overrides → the resolved spec and the fused model: shared by createEmbedder and
// `twinembed export`, so the exported file is exactly what the embedder runs.
import { modelInfo } from '../onnx/model-info.js';
import { decodeModel } from '../onnx/proto.js';
import { configMaxLength } from '../tokenize/text-tokenizer.js';
import { buildFusedModel, type FusedModel } from './fused-model.js';
import { sentenceTransformersHints, type ModelFiles } from './model-files.js';
import { resolveSpec, type EmbedSpec, type SpecOverrides } from './model-spec.js';

export interface PreparedModel {
  spec: EmbedSpec;
  fused: FusedModel;
}

export function prepareModel(files: ModelFiles, overrides: SpecOverrides = {}): PreparedModel {
  const encoder = decodeModel(files.onnx, files.source);
  const tokenizerMax = files.tokenizer ? configMaxLength(files.tokenizer.json, files.tokenizer.config) : undefined;
  const spec = resolveSpec(modelInfo(encoder), files.manifest ?? {}, sentenceTransformersHints(files.sentenceTransformers), tokenizerMax, overrides);
  return { spec, fused: buildFusedModel(encoder, spec) };
}
