// Model files + overrides → the resolved spec and the fused model: shared by createEmbedder and
// `twinembed export`, so the exported file is exactly what the embedder runs.
import { modelInfo } from '../onnx/model-info.js';
import { decodeModel } from '../onnx/proto.js';
import { configMaxLength } from '../tokenize/text-tokenizer.js';
import { buildFusedModel, type FusedModel } from './fused-model.js';
import { resolveMaxLength } from './max-length.js';
import { sentenceTransformersHints, type ModelFiles } from './model-files.js';
import { lengthSources, resolveSpec, type EmbedSpec, type SpecOverrides } from './model-spec.js';

export interface PreparedModel {
  spec: EmbedSpec;
  fused: FusedModel;
}

export function prepareModel(files: ModelFiles, overrides: SpecOverrides = {}): PreparedModel {
  const encoder = decodeModel(files.onnx, files.source);
  const tokenizerMax = files.tokenizer ? configMaxLength(files.tokenizer.json, files.tokenizer.config) : undefined;
  const manifest = files.manifest ?? {};
  const hints = sentenceTransformersHints(files.sentenceTransformers);
  const spec = resolveSpec(modelInfo(encoder), manifest, hints, tokenizerMax, overrides);
  const fused = buildFusedModel(encoder, spec);
  // The position table is found in the imported graph: only now can the length be capped by it.
  if (spec.modality === 'text' && fused.positions) {
    spec.maxLength = resolveMaxLength({ ...lengthSources(manifest, hints, tokenizerMax, overrides), positions: fused.positions, fixedLength: spec.fixedLength });
  }
  return { spec, fused };
}
