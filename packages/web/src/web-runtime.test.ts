import { describe, expect, test } from 'vitest';
import { createTensor, encodeModel, GraphBuilder } from '@twinembed/core';
import { webRuntime } from './web-runtime.js';

function affineModel(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 2]);
  b.output(b.op.Add(b.op.Mul(x, 3), 1), 'y');
  return encodeModel(b.toModel());
}

describe('webRuntime (onnxruntime-web in Node: wasm)', () => {
  test('runs a built model on wasm', async () => {
    const session = await webRuntime().createSession(affineModel());
    expect(session.executionProvider).toBe('wasm');
    expect(session.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['batch', 2] }]);
    const { y } = await session.run({ x: createTensor('float32', new Float32Array([1, 2]), [1, 2]) });
    expect(Array.from(y!.data as Float32Array)).toEqual([4, 7]);
    await session.release();
  });

  test('concurrent runs of one session are queued, not rejected', async () => {
    const session = await webRuntime().createSession(affineModel());
    const runs = Array.from({ length: 8 }, (_, i) => session.run({ x: createTensor('float32', new Float32Array([i, 0]), [1, 2]) }));
    const results = await Promise.all(runs);
    expect(results.map((r) => (r.y!.data as Float32Array)[0])).toEqual([1, 4, 7, 10, 13, 16, 19, 22]);
    await session.release();
  });

  test('without navigator.gpu, webgpu falls back to wasm and says why', async () => {
    const session = await webRuntime({ executionProviders: ['webgpu', 'wasm'] }).createSession(affineModel());
    expect(session.executionProvider).toBe('wasm');
    expect(session.fallbacks.map((f) => [f.provider, f.error.message])).toEqual([['webgpu', 'WebGPU is not available here: navigator.gpu is undefined']]);
  });

  test('unknown providers are refused; webgpu alone fails clearly', async () => {
    expect(() => webRuntime({ executionProviders: ['cpu' as never] })).toThrow(/"cpu" is unknown: expected one of wasm, webgpu/);
    await expect(webRuntime({ executionProviders: ['webgpu'] }).createSession(affineModel())).rejects.toThrow(/only webgpu was requested/);
  });
});
