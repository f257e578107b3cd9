// What the one-shot conformance suites classify: a linear image encoder built with GraphBuilder
// (pixels [batch, 1, 4, 4] → flatten · W [16, 8]), so any runtime runs it, and seeded images in
// classes (a class centre plus noise) whose embeddings a real model then computes.
import { createEmbedder, type Embedder } from '../embed/create-embedder.js';
import type { ModelFiles } from '../embed/model-files.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { encodeModel } from '../onnx/proto.js';
import { seededRandom } from '../random.js';
import type { Runtime } from '../runtime/runtime.js';

export const PIXELS = 16;

/** The encoder's files; another `seed` gives other weights, i.e. another model of the same shape. */
export function linearImageModel(seed = 3, dim = 8): ModelFiles {
  const b = new GraphBuilder();
  const next = seededRandom(seed);
  const x = b.input('pixels', 'float32', ['batch', 1, 4, 4]);
  const w = b.param('proj.weight', Float32Array.from({ length: PIXELS * dim }, () => next() - 0.5), [PIXELS, dim]);
  b.output(b.op.MatMul(b.op.Flatten(x, { axis: 1 }), w), 'embedding');
  return { onnx: encodeModel(b.toModel()), manifest: { modality: 'image', normalize: true } };
}

export function linearEmbedder(runtime: Runtime, seed = 3, dim = 8): Promise<Embedder> {
  return createEmbedder({ runtime, model: linearImageModel(seed, dim), batchSize: 7 });
}

export interface ClassedImages {
  /** Preprocessed inputs (16 floats each), class-major: image i is of class labels[i]. */
  images: Float32Array[];
  labels: Int32Array;
}

/** `perClass` images of each of `classes` classes: a uniform centre per class plus uniform noise of ± `noise`. */
export function classedImages(classes: number, perClass: number, noise: number, seed: number): ClassedImages {
  const next = seededRandom(seed);
  const centres = Array.from({ length: classes }, () => Float32Array.from({ length: PIXELS }, () => next()));
  const images: Float32Array[] = [];
  const labels = new Int32Array(classes * perClass);
  centres.forEach((centre, c) => {
    for (let i = 0; i < perClass; i++) {
      labels[images.length] = c;
      images.push(centre.map((v) => v + noise * (2 * next() - 1)));
    }
  });
  return { images, labels };
}

/** A 4×4 gray image as a decoded raster, each pixel repeated `scale`×`scale` times. */
export function blockRaster(pixels: Uint8Array, scale: number): { data: Uint8Array; width: number; height: number; channels: 1 } {
  const side = 4 * scale;
  const data = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) data[y * side + x] = pixels[Math.floor(y / scale) * 4 + Math.floor(x / scale)]!;
  return { data, width: side, height: side, channels: 1 };
}

/** Cosine distance 1 − cos in float64: the oracle for the index's float32 distances. */
export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) [ab, aa, bb] = [ab + a[i]! * b[i]!, aa + a[i]! * a[i]!, bb + b[i]! * b[i]!];
  return 1 - ab / Math.sqrt(aa * bb);
}

/** The mean of equally long rows, in float64. */
export function meanOf(rows: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(rows[0]!.length);
  for (const row of rows) for (let j = 0; j < out.length; j++) out[j]! += row[j]! / rows.length;
  return out;
}
