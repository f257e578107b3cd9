// Every model in ../shared imports into the graph builder, re-serializes, and runs in
// onnxruntime-node with outputs bit-identical to the original file's.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeModel, encodeModel, importModel, nodeRuntime, type Tensor } from '@twinembed/node';
import { feedsFor } from './support/feeds.js';
import { hasShared, sharedPath } from './support/paths.js';

const runtime = nodeRuntime({ executionProviders: ['cpu'], intraOpNumThreads: 1 });

function modelFiles(): string[] {
  if (!hasShared) return [];
  const fixtures = readdirSync(sharedPath('fixtures'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(sharedPath('fixtures', d.name)).filter((f) => f.endsWith('.onnx')).map((f) => sharedPath('fixtures', d.name, f)));
  const thirdParty = readdirSync(sharedPath('models', 'third-party')).filter((f) => f.endsWith('.onnx')).map((f) => sharedPath('models', 'third-party', f));
  return [...fixtures, ...thirdParty];
}

async function runAll(bytes: Uint8Array, seed: number): Promise<Record<string, Tensor>> {
  const session = await runtime.createSession(bytes, { graphOptimizationLevel: 'disabled' });
  try {
    // Non-tensor outputs (ZipMap's sequence of maps) are outside twinembed's Runtime contract.
    const outputs = session.outputs.filter((o) => o.type !== 'sequence' && o.type !== 'map' && o.type !== 'unknown').map((o) => o.name);
    return await session.run(feedsFor(session.inputs, seed), { outputs });
  } finally {
    await session.release();
  }
}

describe.skipIf(!hasShared)('import → re-serialize → run', () => {
  if (!hasShared) console.log('round-trip: ../shared/fixtures not found; set TWINEMBED_SHARED to run these tests');
  const files = modelFiles();

  test('finds the shared models', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
  });

  test.each(files.map((f) => [f.slice(f.indexOf('shared/') + 7), f]))('%s', async (_, file) => {
    const original = readFileSync(file);
    const rebuilt = encodeModel(importModel(decodeModel(original)).toModel());
    const [expected, actual] = [await runAll(original, 7), await runAll(rebuilt, 7)];
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, tensor] of Object.entries(expected)) {
      expect(actual[name]!.dims, name).toEqual(tensor.dims);
      // Same graph, same kernels, one thread: the outputs must be bit-identical.
      expect(actual[name]!.data, name).toEqual(tensor.data);
    }
  });
});
