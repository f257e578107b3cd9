// The image model the page uses: a model directory's files (the encoder bytes, which fine-tuning
// starts from, and its manifest) and an embedder over them in the worker. Drawings become the
// model's input exactly as its manifest says: rendered at its size, inverted when it expects
// dark strokes on light paper, then preprocessed here, so training batches match what is embedded.
import {
  createTensor, fail, loadModelFromUrl, prepareModel, preprocessImage,
  type EmbedderInfo, type ImagePreprocessing, type ModelFiles, type Tensor, type TwinembedClient, type WebRuntimeOptions,
} from '@twinembed/web';
import { NO_JITTER, renderStrokes, type Jitter, type Stroke } from './strokes.js';

/** A drawing as the model sees one: strokes and how this rendering of them is jittered. */
export interface Drawing {
  strokes: readonly Stroke[];
  jitter?: Jitter;
}

export interface ImageModel {
  readonly files: ModelFiles;
  readonly info: EmbedderInfo;
  /** Side of the square input, in pixels. */
  readonly size: number;
  /** The preprocessed input of one drawing (what the encoder receives). */
  pixels(drawing: Drawing): Float32Array;
  /** Many drawings as one input tensor [n, C, H, W] (or NHWC, as the model takes them). */
  batch(drawings: readonly Drawing[]): Tensor;
  embed(drawings: readonly Drawing[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** The files the demo's model directories hold (scripts/demo-web-prepare.ts writes only these). */
const SERVED = ['model.onnx', 'twinembed.json'];

export async function fetchImageModelFiles(base: string): Promise<ModelFiles> {
  // The loader's optional files (tokenizer, sentence-transformers configs) are answered here: no 404s in the console.
  const fetchServed = (url: string) => (SERVED.some((f) => url.endsWith(`/${f}`)) ? fetch(url) : Promise.resolve(new Response(null, { status: 404 })));
  return loadModelFromUrl(base, { fetch: fetchServed });
}

function imagePreprocessing(files: ModelFiles): ImagePreprocessing {
  const { spec } = prepareModel(files);
  if (spec.modality !== 'image') fail('demo', `the image model: expected an image model, got a ${spec.modality} model (${files.source ?? 'model.onnx'})`);
  if (spec.image.height !== spec.image.width) fail('demo', `the image model: expected a square input, got ${spec.image.height}×${spec.image.width}`);
  return spec.image;
}

export async function openImageModel(client: TwinembedClient, files: ModelFiles, runtime: WebRuntimeOptions): Promise<ImageModel> {
  const image = imagePreprocessing(files);
  const { height, width, channels, layout, invert } = image;
  const info = await client.loadEmbedder({ model: files, runtime });
  const pixels = (d: Drawing) => preprocessImage(renderStrokes(d.strokes, width, d.jitter ?? NO_JITTER, invert), image);
  return {
    files, info, size: width, pixels,
    batch(drawings) {
      const per = channels * height * width;
      const data = new Float32Array(drawings.length * per);
      drawings.forEach((d, i) => data.set(pixels(d), i * per));
      const dims = layout === 'nchw' ? [drawings.length, channels, height, width] : [drawings.length, height, width, channels];
      return createTensor('float32', data, dims);
    },
    async embed(drawings) {
      const rows = await client.embed({ embedder: info.embedder, inputs: drawings.map(pixels) });
      return drawings.map((_, i) => rows.subarray(i * info.dim, (i + 1) * info.dim));
    },
    dispose: () => client.dispose({ handle: info.embedder }),
  };
}
