// The project's image encoders: output sizes, seeded initialization, parameter names, and a
// forward pass on onnxruntime-node's CPU provider.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEncoder, conv4Encoder, createTensor, decodeModel, encodeModel, kochEncoder, nodeRuntime, seededUniform, tensorValues } from '@twinembed/node';
import { REPO_ROOT } from './support/paths.js';

const runtime = nodeRuntime();

async function run(model: Uint8Array, pixels: Float32Array, size: number): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await runtime.createSession(model);
  const out = (await session.run({ pixels: createTensor('float32', pixels, [pixels.length / (size * size), 1, size, size]) })).embedding!;
  await session.release();
  return { data: out.data as Float32Array, dims: out.dims };
}

describe('image encoders', () => {
  test('conv4: [batch, channels · (size / 16)²], named parameters, seeded', async () => {
    const b = conv4Encoder({ channels: 8, size: 28, seed: 3 });
    expect([...b.initializers.keys()].filter((n) => n.startsWith('block0'))).toEqual(['block0.conv.weight', 'block0.norm.weight', 'block0.norm.bias']);
    const out = await run(encodeModel(b.toModel()), seededUniform(1, 3 * 28 * 28, 0, 1), 28);
    expect(out.dims).toEqual([3, 8]);
    const again = conv4Encoder({ channels: 8, size: 28, seed: 3 });
    const other = conv4Encoder({ channels: 8, size: 28, seed: 4 });
    const w = (x: typeof b) => Array.from(tensorValues(x.initializers.get('block1.conv.weight')!) as Float32Array);
    expect(w(again)).toEqual(w(b));
    expect(w(other)).not.toEqual(w(b));
  });

  test('conv4 normalizes each example on its own: an image embeds the same alone and in a batch', async () => {
    const model = encodeModel(conv4Encoder({ channels: 8, size: 16 }).toModel());
    const batch = seededUniform(2, 4 * 256, 0, 1);
    const all = await run(model, batch, 16);
    const one = await run(model, batch.slice(2 * 256, 3 * 256), 16);
    expect(Array.from(one.data)).toEqual(Array.from(all.data.slice(2 * 8, 3 * 8)).map((v) => expect.closeTo(v, 6)));
  });

  test('the shipped models/omniglot is what conv4Encoder builds today, with its trained weights', async () => {
    // its weights loaded into today's conv4 graph (64 channels) embed the same images bit for bit
    const shipped = decodeModel(readFileSync(join(REPO_ROOT, 'models', 'omniglot', 'model.onnx')));
    const b = conv4Encoder({ channels: 64, size: 28 });
    expect(new Set(shipped.graph!.initializer!.map((t) => t.name!))).toEqual(new Set(b.initializers.keys()));
    for (const t of shipped.graph!.initializer!) b.initializers.set(t.name!, t);
    const images = seededUniform(5, 6 * 784, 0, 1);
    const [today, file] = [await run(encodeModel(b.toModel()), images, 28), await run(encodeModel(shipped), images, 28)];
    expect(today.dims).toEqual([6, 64]);
    expect(Array.from(today.data)).toEqual(Array.from(file.data));
  });

  test('koch: sigmoid embedding of the configured size; too small an input is refused', async () => {
    const out = await run(encodeModel(kochEncoder({ embedding: 32, seed: 1 }).toModel()), seededUniform(1, 2 * 784, 0, 1), 28);
    expect(out.dims).toEqual([2, 32]);
    expect(Array.from(out.data).every((v) => v > 0 && v < 1)).toBe(true);
    expect(kochEncoder({ size: 20 }).outputs).toHaveLength(1);
    expect(() => kochEncoder({ size: 19 })).toThrow(/got 19/);
    expect(() => kochEncoder({ size: 12 })).toThrow(/input size: expected at least 20 for its three convolutions, got 12/);
  });

  test('the registry builds by name and refuses others', () => {
    expect(buildEncoder('conv4', { size: 28, seed: 0 }).name).toBe('conv4');
    expect(() => buildEncoder('resnet', { size: 28, seed: 0 })).toThrow(/encoder: expected one of koch, conv4, got "resnet"/);
  });
});
