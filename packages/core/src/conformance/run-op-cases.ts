// Runs op conformance cases on any Runtime: builds each case's model at its opset, feeds the
// case's inputs and returns the outputs by name. The caller (a test per runtime) compares them.
import { fail } from '../errors.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { encodeModel } from '../onnx/proto.js';
import type { Runtime, SessionOptions, Tensor } from '../runtime/runtime.js';
import type { OpCaseRun } from './op-cases.js';

export interface RunOpCasesOptions {
  /**
   * onnxruntime graph optimizations (default 'disabled'): with them on, nodes whose inputs are all
   * constant are folded on the CPU at session creation and neighbours may fuse, so the provider
   * under test would never run those kernels.
   */
  graphOptimizationLevel?: SessionOptions['graphOptimizationLevel'];
}

/** The case's model at its opset, graph inputs declared from the case's input tensors. */
export function buildOpCaseModel(run: OpCaseRun): Uint8Array {
  const b = new GraphBuilder({ opset: run.opset, name: run.opCase.name });
  try {
    const inputs = Object.fromEntries(Object.entries(run.opCase.inputs).map(([name, t]) => [name, b.input(name, t.type, t.dims)]));
    for (const [name, value] of Object.entries(run.opCase.build(b, inputs))) b.output(value, name);
    return encodeModel(b.toModel());
  } catch (cause) {
    return fail('conformance', `${run.key}: building the model failed: ${(cause as Error).message}`, cause);
  }
}

/** Builds, runs and releases one case's session on `runtime`. */
export async function runOpCase(runtime: Runtime, run: OpCaseRun, options: RunOpCasesOptions = {}): Promise<Record<string, Tensor>> {
  const bytes = buildOpCaseModel(run);
  const session = await runtime.createSession(bytes, { graphOptimizationLevel: options.graphOptimizationLevel ?? 'disabled' })
    .catch((cause: unknown) => fail('conformance', `${run.key}: ${runtime.name} could not create the session: ${(cause as Error).message}`, cause));
  try {
    return await session.run(run.opCase.inputs)
      .catch((cause: unknown) => fail('conformance', `${run.key}: ${runtime.name} (${session.executionProvider}) failed to run it: ${(cause as Error).message}`, cause));
  } finally {
    await session.release();
  }
}

/** One case's outcome: its outputs, or why it could not run. */
export type OpCaseResult =
  | { readonly key: string; readonly outputs: Record<string, Tensor>; readonly error?: undefined }
  | { readonly key: string; readonly outputs?: undefined; readonly error: Error };

/** Runs every case in turn (one session at a time), collecting each failure instead of stopping at the first. */
export async function runOpCases(runtime: Runtime, runs: readonly OpCaseRun[], options: RunOpCasesOptions = {}): Promise<OpCaseResult[]> {
  const results: OpCaseResult[] = [];
  for (const run of runs) {
    try {
      results.push({ key: run.key, outputs: await runOpCase(runtime, run, options) });
    } catch (cause) {
      results.push({ key: run.key, error: cause instanceof Error ? cause : new Error(String(cause)) });
    }
  }
  return results;
}
