// Koch, Zemel and Salakhutdinov's convolutional twin (2015), scaled from 105×105 to small inputs:
// conv → ReLU → max-pool twice, a third conv → ReLU, then a fully connected sigmoid layer whose
// output is the embedding (the paper's 4096-unit feature vector; the pair head on |e₁ − e₂| is
// the KochBCE loss's own parameter). Sizes for 28×28: conv 5×5 (28→24) → pool (12) → conv 3×3
// (10) → pool (5) → conv 3×3 (3) → flatten → linear → sigmoid. No normalization layers, as in the paper.
import { GraphBuilder } from '../graph/graph-builder.js';
import { linear } from '../graph/layers.js';
import type { Value } from '../graph/value.js';
import { fail } from '../errors.js';
import { seededRandom } from '../random.js';
import { heUniform, torchDefaultUniform } from './init.js';

export interface KochOptions {
  /** Input side in pixels (square, one channel; default 28). */
  size?: number;
  /** Output channels of the three convolutions (default [32, 64, 64]). */
  channels?: readonly [number, number, number];
  /** Embedding size (default 128). */
  embedding?: number;
  /** Seed of the parameter initialization (default 0). */
  seed?: number;
}

const KERNELS = [5, 3, 3] as const;
/** The smallest side that leaves a 1×1 map after conv 5 → pool → conv 3 → pool → conv 3. */
const MIN_SIZE = 20;

/** Input `pixels` [batch, 1, size, size] → output `embedding` [batch, embedding], values in (0, 1). */
export function kochEncoder(options: KochOptions = {}): GraphBuilder {
  const { size = 28, channels = [32, 64, 64], embedding = 128, seed = 0 } = options;
  const b = new GraphBuilder({ name: 'koch' });
  const next = seededRandom(seed);
  let x: Value = b.input('pixels', 'float32', ['batch', 1, size, size]);
  let side = size;
  let inChannels = 1;
  KERNELS.forEach((k, i) => {
    const out = channels[i]!;
    side -= k - 1;
    if (side < 1) fail('encoders', `koch encoder: input size: expected at least ${MIN_SIZE} for its three convolutions, got ${size}`);
    x = b.scope(`conv${i}`, () => {
      const dims = [out, inChannels, k, k];
      const w = b.param('weight', heUniform(next, dims), dims);
      const bias = b.param('bias', new Float32Array(out), [out]);
      return b.op.Relu(b.op.Conv(x, w, bias, { kernel_shape: [k, k] }));
    });
    if (i < 2) {
      x = b.op.MaxPool(x, { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
      side = Math.floor(side / 2);
    }
    inChannels = out;
  });
  const features = inChannels * side * side;
  const fc = b.scope('fc', () => linear(b, b.op.Flatten(x, { axis: 1 }), {
    weight: torchDefaultUniform(next, [embedding, features]), bias: torchDefaultUniform(next, [embedding], features),
    inFeatures: features, outFeatures: embedding,
  }));
  b.output(b.op.Sigmoid(fc), 'embedding');
  return b;
}
