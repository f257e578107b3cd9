// Fine-tuning the image encoder from the page: the worker builds the one train-step graph (the
// encoder over every branch of a batch, TripletLoss or ContrastiveLoss on cosine distance, AdamW)
// from the model's own bytes and runs it; the page draws the batches and gets the new model files.
import { createTensor, fail, seededRandom, type ModelFiles, type Tensor, type TrainBatch, type TrainerInfo, type TrainProgress, type TwinembedClient, type WebRuntimeOptions } from '@twinembed/web';
import { drawLabel, type ExampleSet } from './example-sets.js';
import type { Drawing, ImageModel } from './image-model.js';

export const FINE_TUNE_LOSSES = {
  /** relu(d(a, p) − d(a, n) + 0.3), d = 1 − cos: the distance the gallery ranks by. */
  TripletLoss: { distance: 'cosine', margin: 0.3 },
  /** ½[y·d² + (1 − y)·relu(0.5 − d)²], d = 1 − cos. */
  ContrastiveLoss: { distance: 'cosine', margin: 0.5 },
} as const;
export type FineTuneLoss = keyof typeof FINE_TUNE_LOSSES;

export interface FineTuneOptions {
  client: TwinembedClient;
  runtime: WebRuntimeOptions;
  model: ImageModel;
  set: ExampleSet;
  loss: FineTuneLoss;
  steps: number;
  /** Triplets or pairs per step (default 8). */
  batchSize?: number;
  /** AdamW learning rate (default 1e-3). */
  lr?: number;
  /** Seeds the training batches (default 1). */
  seed?: number;
  onStarted?: (trainer: TrainerInfo) => void;
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface FineTuneResult {
  /** The model directory's files with the fine-tuned encoder as model.onnx. */
  files: ModelFiles;
  losses: number[];
  /** Mean loss over fixed held-out batches, at the start and at the end. */
  heldOut: { before: number; after: number };
}

/** Held-out batches come from their own seed, never drawn by training. */
const HELD_OUT_SEED = 99;

export async function fineTune(options: FineTuneOptions): Promise<FineTuneResult> {
  const { client, model, set, steps, batchSize = 8, lr = 1e-3, seed = 1 } = options;
  if (set.labels.length < 2) fail('demo', `fine-tuning: expected at least 2 classes, got ${set.labels.length} (${set.name})`);
  const info = await client.createTrainer({ model: model.files, runtime: options.runtime, loss: options.loss, lossOptions: FINE_TUNE_LOSSES[options.loss], lr });
  try {
    options.onStarted?.(info);
    const heldOutDraw = seededRandom(HELD_OUT_SEED);
    const heldOut = [0, 1].map(() => makeBatch(info.batchInputs, model, set, heldOutDraw, batchSize));
    const before = await client.evaluate({ trainer: info.trainer, batches: heldOut });
    const draw = seededRandom(seed);
    const batches = Array.from({ length: steps }, () => makeBatch(info.batchInputs, model, set, draw, batchSize));
    const trained = await client.train({ trainer: info.trainer, batches }, { transfer: true, signal: options.signal, onProgress: (p) => p.kind === 'train' && options.onProgress?.(p) });
    const after = await client.evaluate({ trainer: info.trainer, batches: heldOut });
    const files = await client.exportModel({ trainer: info.trainer });
    return { files, losses: trained.losses, heldOut: { before, after } };
  } finally {
    await client.dispose({ handle: info.trainer });
  }
}

/**
 * One batch of `size` rows for the trainer's inputs (`${role}.pixels`, and `labels` for pairs).
 * Triplets: anchor and positive are two variants of one class, negative a variant of another.
 * Pairs: even rows alike (label 1), odd rows of two classes (label 0).
 */
function makeBatch(inputs: readonly string[], model: ImageModel, set: ExampleSet, next: () => number, size: number): TrainBatch {
  const roles = inputs.filter((name) => name !== 'labels').map((name) => name.slice(0, name.indexOf('.')));
  const rows = new Map<string, Drawing[]>(roles.map((role) => [role, []]));
  const labels = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const label = drawLabel(set.labels, next);
    const alike = roles.includes('positive') || i % 2 === 0;
    labels[i] = alike ? 1 : 0;
    for (const role of roles) {
      const other = role === 'negative' || (role === 'other' && !alike);
      rows.get(role)!.push(set.variant(other ? drawLabel(set.labels, next, label) : label, next));
    }
  }
  const feeds: Record<string, Tensor> = {};
  for (const name of inputs) feeds[name] = name === 'labels' ? createTensor('float32', labels, [size]) : model.batch(rows.get(name.slice(0, name.indexOf('.')))!);
  return feeds;
}
