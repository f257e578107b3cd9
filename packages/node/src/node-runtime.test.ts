import { describe, expect, test } from 'vitest';
import { createTensor, encodeModel, GraphBuilder } from '@twinembed/core';
import { nodeRuntime } from './node-runtime.js';

function affineModel(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 2]);
  b.output(b.op.Add(b.op.Mul(x, 3), 1), 'y');
  return encodeModel(b.toModel());
}

const x = createTensor('float32', new Float32Array([1, 2, -1, 0.5]), [2, 2]);

describe('nodeRuntime', () => {
  test('runs a built model and lists its signature', async () => {
    const session = await nodeRuntime().createSession(affineModel());
    expect(session.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['batch', 2] }]);
    expect(session.outputs).toEqual([{ name: 'y', type: 'float32', shape: ['batch', 2] }]); // onnxruntime infers it
    expect(session.executionProvider).toBe('cpu');
    expect(session.fallbacks).toEqual([]);
    const { y } = await session.run({ x });
    expect(Array.from(y!.data as Float32Array)).toEqual([4, 7, -2, 2.5]);
    await session.release();
  });

  test('an unknown execution provider is refused at construction', () => {
    expect(() => nodeRuntime({ executionProviders: ['tpu' as never] })).toThrow(
      '[twinembed:runtime] onnxruntime-node execution provider "tpu" is unknown: expected one of cpu, cuda, webgpu',
    );
    expect(() => nodeRuntime({ executionProviders: [] })).toThrow(/expected a non-empty list/);
  });

  // CUDA's libraries are a post-install download that this project skips (see README "CUDA").
  test.skipIf(process.env.TWINEMBED_HAS_CUDA)('a missing provider falls back down the list and says why', async () => {
    const session = await nodeRuntime({ executionProviders: ['cuda', 'cpu'] }).createSession(affineModel());
    expect(session.executionProvider).toBe('cpu');
    expect(session.fallbacks.map((f) => f.provider)).toEqual(['cuda']);
    expect(session.fallbacks[0]!.error.message).toMatch(/cuda provider's libraries are not installed.*ONNXRUNTIME_NODE_INSTALL=cuda12\); onnxruntime said: /);
  });

  test.skipIf(process.env.TWINEMBED_HAS_CUDA)('asking for one missing provider only is a clear error', async () => {
    await expect(nodeRuntime({ executionProviders: ['cuda'] }).createSession(affineModel())).rejects.toThrow(
      /no execution provider could create the session \(only cuda was requested\): cuda: the cuda provider's libraries are not installed/,
    );
  });

  test('a model onnxruntime rejects reports every provider\'s failure together', async () => {
    const b = new GraphBuilder();
    const a = b.input('a', 'float32', [2]);
    b.output(b.op.MatMul(a, b.input('c', 'int64', [2])), 'bad'); // mixed types: invalid
    await expect(nodeRuntime({ executionProviders: ['cpu', 'cpu'] }).createSession(encodeModel(b.toModel()))).rejects.toThrow(
      /no execution provider could create the session: cpu: .*; cpu: /,
    );
  });
});
