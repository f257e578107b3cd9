// Importing is for appending: mean pooling and L2 normalization appended to both exports of
// the fixture BERT (opset 18 and 17, so the op helpers must emit each opset's form) must give
// sentence-transformers' own embeddings.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeModel, encodeModel, importModel, nodeRuntime, readSafetensors, type GraphBuilder, type Value } from '@twinembed/node';
import { hasShared, sharedPath } from './support/paths.js';

function appendMeanPoolNormalize(b: GraphBuilder): Value {
  const hidden = b.value('last_hidden_state');
  const mask = b.op.Unsqueeze(b.op.Cast(b.value('attention_mask'), { to: 'float32' }), { axes: [-1] });
  const summed = b.op.ReduceSum(b.op.Mul(hidden, mask), { axes: [1], keepdims: 0 });
  const counts = b.op.Max(b.op.ReduceSum(mask, { axes: [1], keepdims: 0 }), 1e-9); // torch.clamp(min=1e-9)
  const mean = b.op.Div(summed, counts);
  const norm = b.op.Sqrt(b.op.ReduceSum(b.op.Mul(mean, mean), { axes: [-1], keepdims: 1 }));
  return b.op.Div(mean, b.op.Max(norm, 1e-12)); // F.normalize's eps
}

describe.skipIf(!hasShared)('append to an imported model', () => {
  const fixture = (f: string) => readFileSync(sharedPath('fixtures', 'bert-tiny-a', f));

  test.each([['model.dynamo.onnx', 18], ['model.legacy.onnx', 17]])('%s (opset %i) + mean pooling = sentence-transformers', async (file, opset) => {
    const b = importModel(decodeModel(fixture(file)));
    expect(b.opset).toBe(opset);
    b.output(appendMeanPoolNormalize(b), 'sentence_embedding');
    const session = await nodeRuntime().createSession(encodeModel(b.toModel()));
    const inputs = readSafetensors(fixture('inputs.safetensors'));
    const feeds = Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((n) => [n, inputs.get(n)!]));
    const { sentence_embedding: actual } = await session.run(feeds, { outputs: ['sentence_embedding'] });
    const expected = readSafetensors(fixture('embeddings.safetensors')).get('embeddings_mean_normalized')!;
    expect(actual!.dims).toEqual(expected.dims);
    const worst = Math.max(...Array.from(actual!.data as Float32Array, (v, i) => Math.abs(v - (expected.data as Float32Array)[i]!)));
    // Unit vectors from a float32 encoder: PyTorch and onnxruntime sum in different orders (~1e-7 per op, 2 layers).
    expect(worst).toBeLessThan(2e-6);
    await session.release();
  });
});
