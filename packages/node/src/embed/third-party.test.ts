// Models exported by others embed with at most a one-line twinembed.json: a TensorFlow BERT
// classifier (int32 ids, fixed length 7), an optimized BERT (mask named input_mask), and a
// SqueezeNet whose graph outputs are a string label and a ZipMap (its pool10 layer is the embedding).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readSafetensors } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { decodeImageBytes } from './decode-image.js';
import { loadEmbedder } from './load-embedder.js';

const newDir = tempDirs('third-party');

function modelDir(file: string, manifest: object): string {
  const dir = newDir();
  copyFileSync(sharedPath('models', 'third-party', file), join(dir, 'model.onnx'));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify(manifest));
  return dir;
}

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe.skipIf(!hasShared)('third-party models', () => {
  test.each([
    ['TFBertForSequenceClassification_1.onnx', { output: 'tf_bert_for_sequence_classification/bert/pooler/dense/Tanh:0', pooling: 'none' }, 7],
    ['bert_toy_optimized.onnx', { output: '707', pooling: 'none' }, 9],
  ])('%s embeds token ids', async (file, manifest, length) => {
    const embedder = await loadEmbedder(modelDir(file, manifest), { batchSize: 2 });
    const ids = [[1, 5, 9, 2], [1, 7, 2], Array.from({ length }, (_, i) => (i * 3) % 50 + 1)];
    const rows = await embedder.embed(ids.map((row) => ({ ids: row })));
    expect(rows.map((r) => r.length)).toEqual([embedder.dim, embedder.dim, embedder.dim]);
    expect(embedder.dim).toBeGreaterThan(2);
    for (const r of rows) expect(norm(r)).toBeCloseTo(1, 5);
    // Same inputs one by one (other batch partners and padding) give the same rows.
    const alone = await embedder.embed([{ ids: ids[1]! }]);
    expect(Math.max(...alone[0]!.map((v, j) => Math.abs(v - rows[1]![j]!)))).toBeLessThan(1e-5);
    await embedder.dispose();
  });

  test('squeezenet: a PNG and the same pixels as a Float32Array give the same embedding', async () => {
    const embedder = await loadEmbedder(modelDir('squeezenet_tensor_input.onnx', { output: 'pool10', image: { scale: 1 } }));
    expect(embedder.dim).toBe(512); // pool10: the 512 channels of fire9, before the classifier
    const png = new PNG({ width: 227, height: 227 });
    for (let i = 0; i < 227 * 227; i++) png.data.set([i % 256, (i >> 3) % 256, 255 - (i % 256), 255], i * 4);
    const image = decodeImageBytes(PNG.sync.write(png));
    const pixels = new Float32Array(3 * 227 * 227);
    for (let c = 0; c < 3; c++) for (let i = 0; i < 227 * 227; i++) pixels[c * 227 * 227 + i] = image.data[i * 4 + c]!;
    const [fromPng, fromFloats] = await embedder.embed([image, pixels]);
    expect(Math.max(...fromPng!.map((v, j) => Math.abs(v - fromFloats![j]!)))).toBe(0);
    expect(norm(fromPng!)).toBeCloseTo(1, 5);
    await embedder.dispose();
  });

  test('koch-cnn-a with no manifest: detected as a 1×28×28 image model; Float32Array rows equal PyTorch\'s', async () => {
    const dir = newDir();
    copyFileSync(sharedPath('fixtures', 'koch-cnn-a', 'encoder.onnx'), join(dir, 'model.onnx'));
    const embedder = await loadEmbedder(dir, { normalize: false, batchSize: 5 });
    expect([embedder.spec.modality, embedder.spec.output, embedder.dim]).toEqual(['image', 'embedding', 32]);
    const x1 = readSafetensors(readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'inputs.safetensors'))).get('x1')!.data as Float32Array;
    const e1 = readSafetensors(readFileSync(sharedPath('fixtures', 'koch-cnn-a', 'embeddings.safetensors'))).get('e1')!.data as Float32Array;
    const rows = await embedder.embed(Array.from({ length: 12 }, (_, i) => x1.slice(i * 784, (i + 1) * 784)));
    const worst = Math.max(...rows.flatMap((row, r) => Array.from(row, (v, j) => Math.abs(v - e1[r * 32 + j]!))));
    expect(worst).toBeLessThan(1e-6); // sigmoid outputs in (0, 1) from a 2-conv float32 net: summation order only
    await embedder.dispose();
  });
});
