// The conformance suite itself, checked without a runtime: it covers every op the builder can
// emit, each case builds at each of its opsets, and its reference names the outputs it builds.
import { describe, expect, test } from 'vitest';
import { decodeModel } from '../onnx/proto.js';
import { expandOpCases, OP_CASES, uncoveredOps } from './op-cases.js';
import { buildOpCaseModel } from './run-op-cases.js';

describe('op conformance cases', () => {
  test('every op in OP_SCHEMAS has a case', () => {
    expect(uncoveredOps()).toEqual([]);
  });

  test('a missing op is reported', () => {
    expect(uncoveredOps(OP_CASES.filter((c) => !c.ops.includes('Erf')))).toEqual(['Erf']);
  });

  test.each(expandOpCases().map((run) => [run.key, run] as const))('%s builds, with the outputs its reference names', (_, run) => {
    const model = decodeModel(buildOpCaseModel(run));
    const outputs = (model.graph?.output ?? []).map((o) => o.name).sort();
    const nodes = new Set((model.graph?.node ?? []).map((n) => n.opType));
    for (const op of run.opCase.ops) expect(nodes).toContain(op);
    if (run.opCase.reference) expect(Object.keys(run.opCase.reference(run.opCase.inputs)).sort()).toEqual(outputs);
  });
});
