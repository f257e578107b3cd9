// loadEmbedder and embed: createEmbedder on onnxruntime-web, with images still to decode (Blob,
// ImageBitmap) decoded where the embedder runs, and progress after every batch.
import { createEmbedder, fail, type EmbedInput } from '@twinembed/core';
import { decodeImageInBrowser } from '../load/load-image.js';
import { modelFilesOf } from '../load/load-model.js';
import { webRuntime } from '../web-runtime.js';
import type { Handles } from './handles.js';
import type { Operations, WebEmbedInput } from './protocol.js';
import { recordSessions } from './record-sessions.js';

export function embedOperations(handles: Handles): Pick<Operations, 'loadEmbedder' | 'embed'> {
  return {
    async loadEmbedder(request) {
      const { model, runtime, ...options } = request;
      const recorded = recordSessions(webRuntime(runtime));
      const embedder = await createEmbedder({ ...options, runtime: recorded.runtime, model: await modelFilesOf(model) });
      return { embedder: handles.add('embedder', embedder), dim: embedder.dim, modality: embedder.spec.modality, ...recorded.provider() };
    },
    async embed(request, context) {
      const embedder = handles.get(request.embedder, 'embedder');
      if (!Array.isArray(request.inputs)) fail('embed', `embed inputs: expected an array, got ${typeof request.inputs}`);
      const inputs = await Promise.all(request.inputs.map(decodedInput));
      const { prompt, promptName } = request;
      return embedder.embedMatrix(inputs, { prompt, promptName, onProgress: (done, total) => context.progress({ kind: 'embed', done, total }) });
    },
  };
}

/** A Blob or ImageBitmap decoded to pixels here; anything else as it is. */
export async function decodedInput(input: WebEmbedInput): Promise<EmbedInput> {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return decodeImageInBrowser(input);
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) return decodeImageInBrowser(input);
  return input as EmbedInput;
}
