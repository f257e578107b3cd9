// Universal Sentence Encoder lite (TF Hub universal-sentence-encoder-lite/1) imported from TF.js.
export { useLiteEncoder, USE_LITE_MAX_LENGTH, type UseLiteEncoderOptions } from './use-lite-encoder.js';
export { useLiteWeights, type UseLiteWeights, type UseLiteLayerWeights } from './use-lite-weights.js';
export { useLiteTokenizer, USE_LITE_RESERVED, type UseLiteTokenizerFiles } from './use-lite-tokenizer.js';
