// Loss parity on the Koch-style CNN twin: KochBCE (linear head on |e₁ − e₂|), the seed's Hadsell
// contrastive and the FaceNet triplet, against PyTorch. This reference called F.pairwise_distance
// with eps=0, so these euclidean distances use eps 0 (sentence-transformers' own use 1e-6).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  createTensor, decodeModel, encodeModel, hadsellContrastiveLoss, importModel, kochBceLoss, nodeRuntime, readSafetensors, tripletLoss,
  type GraphBuilder, type Tensor, type Value,
} from '@twinembed/node';
import { hasShared, sharedPath } from './support/paths.js';

const fixture = (f: string) => readFileSync(sharedPath('fixtures', 'koch-cnn-a', f));
const BATCH = 12;

type Build = (b: GraphBuilder, e: [Value, Value, Value], y: Value, params: Map<string, Tensor>) => Value;

const LOSSES: Record<string, Build> = {
  KochBCE: (b, [e1, e2], y, params) => kochBceLoss(b, { anchor: e1, other: e2, labels: y }, {
    dim: 32, head: { weight: params.get('head.weight')!.data as Float32Array, bias: params.get('head.bias')!.data as Float32Array },
  }),
  Contrastive: (b, [e1, e2], y) => hadsellContrastiveLoss(b, { anchor: e1, other: e2, labels: y }),
  Triplet: (b, [a, p, n]) => tripletLoss(b, { anchor: a, positive: p, negative: n }, { margin: 1, eps: 0 }),
};

/** The encoder runs once over [x1; x2; x3]; each branch is a row range of its output. */
function buildLossModel(params: Map<string, Tensor>): Uint8Array {
  const b = importModel(decodeModel(fixture('encoder.onnx')));
  const embedding = b.value('embedding');
  const branch = (k: number) => b.op.Gather(embedding, b.int64s(Array.from({ length: BATCH }, (_, i) => k * BATCH + i)), { axis: 0 });
  const e: [Value, Value, Value] = [branch(0), branch(1), branch(2)];
  const y = b.input('y', 'float32', [BATCH]);
  for (const [name, build] of Object.entries(LOSSES)) b.output(build(b, e, y, params), name);
  return encodeModel(b.toModel());
}

function concatImages(inputs: Map<string, Tensor>): Tensor {
  const parts = ['x1', 'x2', 'x3'].map((n) => inputs.get(n)!.data as Float32Array);
  const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (data.set(p, offset), offset + p.length), 0);
  return createTensor('float32', data, [3 * BATCH, 1, 28, 28]);
}

describe.skipIf(!hasShared)('losses on koch-cnn-a = PyTorch', () => {
  const expected: Record<string, { loss: number }> = hasShared ? JSON.parse(fixture('losses.json').toString('utf8')) : {};
  let results: Record<string, Tensor> = {};

  beforeAll(async () => {
    const inputs = readSafetensors(fixture('inputs.safetensors'));
    const session = await nodeRuntime().createSession(buildLossModel(readSafetensors(fixture('params.safetensors'))));
    results = await session.run({ image: concatImages(inputs), y: inputs.get('y')! }, { outputs: Object.keys(LOSSES) });
    await session.release();
  });

  test('every fixture loss has a builder here', () => {
    expect(Object.keys(LOSSES).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.keys(LOSSES))('%s', (loss) => {
    const actual = (results[loss]!.data as Float32Array)[0]!;
    const reference = expected[loss]!.loss;
    const relative = Math.abs(actual - reference) / Math.abs(reference);
    if (process.env.TWINEMBED_REPORT) console.log(`parity koch-cnn-a ${loss} ${actual} ${reference} rel ${relative.toExponential(2)}`);
    expect(relative).toBeLessThan(1e-4);
  });
});
