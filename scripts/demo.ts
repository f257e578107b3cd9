// The main job until trained models arrive: build a small image-style encoder with the graph
// toolkit (seeded weights, so every run prints the same numbers), save it, describe it with the
// real `twinembed info`, and embed a batch on onnxruntime-node. Run with `pnpm demo`.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder, createTensor, layerNorm, linear, nodeRuntime, saveModelFile, type ModelProto } from '@twinembed/node';
import { main as twinembed } from '../packages/node/src/cli/main.js';

const PIXELS = 8 * 8;
const HIDDEN = 32;
const DIM = 16;
const BATCH = 4;
const SEED = 42;
const OUT_DIR = fileURLToPath(new URL('../.tmp/demo/', import.meta.url));

/** mulberry32: a 32-bit seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PyTorch's nn.Linear initialization: U(−1/√in, 1/√in) for weight and bias. */
function uniform(random: () => number, size: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return Float32Array.from({ length: size }, () => (2 * random() - 1) * bound);
}

/** pixels [batch, 64] → Linear → ReLU → Linear → LayerNorm → L2-normalized embedding [batch, 16]. */
function buildEncoder(seed: number): ModelProto {
  const random = mulberry32(seed);
  const b = new GraphBuilder({ name: 'demo-encoder' });
  const pixels = b.input('pixels', 'float32', ['batch', PIXELS]);
  const features = b.scope('encoder', () => {
    const layer = (index: number, x: typeof pixels, inFeatures: number, outFeatures: number) => b.scope(`layer.${index}`, () =>
      linear(b, x, { weight: uniform(random, outFeatures * inFeatures, inFeatures), bias: uniform(random, outFeatures, inFeatures), inFeatures, outFeatures }));
    const hidden = b.op.Relu(layer(0, pixels, PIXELS, HIDDEN));
    const projected = layer(1, hidden, HIDDEN, DIM);
    return b.scope('norm', () => layerNorm(b, projected, { weight: new Float32Array(DIM).fill(1), bias: new Float32Array(DIM) }));
  });
  const norm = b.op.ReduceL2(features, { axes: [-1], keepdims: 1 });
  b.output(b.op.Div(features, norm), 'embedding');
  return b.toModel();
}

/** A batch of smooth synthetic 8×8 "images": a seeded phase and frequency each. */
function syntheticImages(seed: number, count: number): Float32Array {
  const random = mulberry32(seed);
  const data = new Float32Array(count * PIXELS);
  for (let n = 0; n < count; n++) {
    const phase = random() * Math.PI * 2;
    const frequency = 0.5 + random();
    for (let p = 0; p < PIXELS; p++) data[n * PIXELS + p] = 0.5 + 0.5 * Math.sin(frequency * (p % 8) + phase + (p >> 3) * 0.3);
  }
  return data;
}

async function run(): Promise<number> {
  await mkdir(OUT_DIR, { recursive: true });
  const modelPath = join(OUT_DIR, 'model.onnx');
  await saveModelFile(modelPath, buildEncoder(SEED));
  console.log(`saved ${modelPath}\n\n$ twinembed info ${modelPath}`);
  const code = await twinembed(['info', modelPath]);
  if (code !== 0) return code;

  const session = await nodeRuntime({ executionProviders: ['cpu'] }).createSession(modelPath);
  const { embedding } = await session.run({ pixels: createTensor('float32', syntheticImages(SEED + 1, BATCH), [BATCH, PIXELS]) });
  const values = embedding!.data as Float32Array;
  const rows = Array.from({ length: BATCH }, (_, i) => values.subarray(i * DIM, (i + 1) * DIM));
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  console.log(`embedding: shape [${embedding!.dims.join(', ')}] on ${session.executionProvider}`);
  console.log(`L2 norms: ${rows.map((r) => norm(r).toFixed(6)).join(' ')}`);
  console.log(`cos(image 0, image 1): ${rows[0]!.reduce((s, x, i) => s + x * rows[1]![i]!, 0).toFixed(6)}`);
  console.log(`image 0, first values: ${Array.from(rows[0]!.subarray(0, 4), (x) => x.toFixed(6)).join(' ')}`);
  await session.release();
  return 0;
}

process.exitCode = await run();
