// The workload of bench/browser.ts, shared by Node and Chromium so both run the same thing: the
// default image model (models/omniglot), 64 synthetic stroke images to embed, and one MNRL batch
// (2 × 32 images) for the AdamW train step; and the Node variants (onnxruntime-node CPU).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrainStep, createAdamW, createTensor, createTrainer, loadEmbedder, nodeRuntime, seededRandom, type TrainBatch } from '@twinembed/node';
import { REPO_ROOT } from '../test/support/paths.js';

export const MODEL_DIR = join(REPO_ROOT, 'models', 'omniglot');
export const MODEL_FILES = ['model.onnx', 'twinembed.json'] as const;
export const SIZE = 28;
export const EMBED_BATCH = 64;
export const TRAIN_BATCH = 32;
export const LOSS = 'MultipleNegativesRankingLoss';
/** Small, so hundreds of steps on one batch stay finite; throughput does not depend on it. */
export const LR = 1e-5;

/** White strokes on black, like the model's inputs: three seeded segments ~2 px wide per image, values in [0, 1]. */
export function strokeImages(count: number, seed: number): Float32Array[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const image = new Float32Array(SIZE * SIZE);
    for (let stroke = 0; stroke < 3; stroke++) {
      const [x0, y0, x1, y1] = [4 + 20 * next(), 4 + 20 * next(), 4 + 20 * next(), 4 + 20 * next()];
      for (let t = 0; t <= 1; t += 0.02) {
        const [cx, cy] = [x0 + (x1 - x0) * t, y0 + (y1 - y0) * t];
        for (let y = Math.floor(cy - 1); y <= Math.ceil(cy + 1); y++) for (let x = Math.floor(cx - 1); x <= Math.ceil(cx + 1); x++) {
          if (Math.hypot(x - cx, y - cy) <= 1) image[y * SIZE + x] = 1;
        }
      }
    }
    return image;
  });
}

/** Anchors, and as positives the same strokes with a little seeded noise: the pixels of one train batch. */
export function trainPixels(): { anchor: Float32Array; positive: Float32Array } {
  const anchors = strokeImages(TRAIN_BATCH, 2);
  const noise = seededRandom(3);
  const anchor = new Float32Array(TRAIN_BATCH * SIZE * SIZE);
  anchors.forEach((image, i) => anchor.set(image, i * SIZE * SIZE));
  return { anchor, positive: anchor.map((v) => Math.min(1, v + 0.1 * noise())) };
}

export function trainBatch(pixels: { anchor: Float32Array; positive: Float32Array }): TrainBatch {
  const dims = [TRAIN_BATCH, 1, SIZE, SIZE];
  return { 'anchor.pixels': createTensor('float32', pixels.anchor, dims), 'positive.pixels': createTensor('float32', pixels.positive, dims) };
}

/** One benchmarked configuration: `embed(n)` embeds n batches of EMBED_BATCH images, `train(n)` takes n steps; both return milliseconds. */
export interface Variant {
  name: string;
  /** The provider that ran (as the runtime reports it), and the failures of the ones tried before. */
  executionProvider: string;
  fallbacks: string[];
  /** Facts worth printing under the table. */
  notes: string[];
  embed(batches: number): Promise<number>;
  train(steps: number): Promise<number>;
  /** The embeddings of the 64 images, to compare runtimes. */
  rows: Float32Array;
  close(): Promise<void>;
}

export async function nodeVariant(threads: number, images: Float32Array[], batch: TrainBatch): Promise<Variant> {
  const runtime = nodeRuntime({ intraOpNumThreads: threads });
  const embedder = await loadEmbedder(MODEL_DIR, { runtime, batchSize: EMBED_BATCH });
  const step = buildTrainStep({ encoder: readFileSync(join(MODEL_DIR, 'model.onnx')), output: 'embedding', pooling: 'none', loss: LOSS, optimizer: createAdamW() });
  const trainer = await createTrainer({ runtime, step, lr: LR });
  const timed = async (count: number, once: () => Promise<unknown>) => {
    const start = performance.now();
    for (let i = 0; i < count; i++) await once();
    return performance.now() - start;
  };
  return {
    name: `node cpu, ${threads} thread${threads > 1 ? 's' : ''}`,
    executionProvider: 'cpu', fallbacks: [], notes: [],
    rows: await embedder.embedMatrix(images),
    embed: (batches) => timed(batches, () => embedder.embedMatrix(images)),
    train: (steps) => timed(steps, () => trainer.step(batch)),
    close: async () => {
      await embedder.dispose();
      await trainer.release();
    },
  };
}
