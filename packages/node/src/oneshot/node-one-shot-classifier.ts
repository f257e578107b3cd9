// The one-shot classifier in Node: for an image model, an example or query may also be the path of
// a PNG or JPEG file (decoded here, then resized as the model's manifest says); texts stay texts.
import { createOneShotClassifier, type EmbedInput, type Embedder, type OneShotClassifier, type OneShotClassifierOptions } from '@twinembed/core';
import { decodeImageFile } from '../embed/decode-image.js';

/** What the embedder takes, or, for an image model, an image file's path. */
export type NodeExample = EmbedInput;

/** Image paths → decoded pixels for an image embedder; anything else passes through. */
export function nodeExampleReader(embedder: Embedder): (input: NodeExample) => EmbedInput | Promise<EmbedInput> {
  const image = embedder?.spec?.modality === 'image';
  return (input) => (image && typeof input === 'string' ? decodeImageFile(input) : input);
}

export function createNodeOneShotClassifier(options: Omit<OneShotClassifierOptions<NodeExample>, 'readInput'>): OneShotClassifier<NodeExample> {
  return createOneShotClassifier({ ...options, readInput: nodeExampleReader(options.embedder) });
}
