// Runs every op conformance case (packages/core/src/conformance) on onnxruntime-node's CPU and WebGPU
// providers and on onnxruntime-web's wasm backend (in Node), against the JS reference and against
// node-cpu. CI must run all three: there, a missing WebGPU adapter fails the suite instead of skipping it.
import { existsSync } from 'node:fs';
import { nodeRuntime, type Runtime, type Tensor } from '@twinembed/node';
import { webRuntime } from '@twinembed/web';
import { describe, expect, test } from 'vitest';
import { compareOutputs, EXACT, type Tolerance } from '../packages/core/src/conformance/compare-tensors.js';
import { expandOpCases, uncoveredOps, type OpCaseRun, type Precision } from '../packages/core/src/conformance/op-cases.js';
import { buildOpCaseModel, runOpCase } from '../packages/core/src/conformance/run-op-cases.js';

// Dawn (inside onnxruntime-node) reads the Vulkan ICD once, at the first WebGPU session of the process,
// so this must run before any. Without a GPU, SwiftShader (in Debian's chromium package) is the device.
// A VK_ICD_FILENAMES already set (a real GPU's driver) is left alone.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
}

type RuntimeName = 'node-cpu' | 'web-wasm' | 'node-webgpu';

/** float32 machine epsilon: one ULP at 1.0. Case inputs are O(1), so atol is a few ULPs at the output's scale. */
const EPS = 2 ** -23;

// node-cpu and web-wasm are ONNX Runtime's CPU kernels (MLAS, Eigen) compiled natively and to wasm.
// rounded: + − × ÷ √ are correctly rounded in IEEE 754, so they match the reference bit for bit.
// math: exp, log, tanh, erf, … are polynomial approximations good to ~1 ULP (worst seen: 0.34 of this bound).
// sum: accumulation order differs by kernel and SIMD width; LogSoftmax's x − logsumexp(x) cancels
// digits of |x| ≈ 3, which sets atol (worst seen: 0.25 of this bound).
const CPU_TOLERANCE: Readonly<Record<Precision, Tolerance>> = {
  exact: EXACT,
  rounded: EXACT,
  math: { atol: EPS, rtol: 2 * EPS },
  trig: { atol: EPS, rtol: 2 * EPS },
  sum: { atol: 4 * EPS, rtol: 4 * EPS },
};

// WebGPU shaders run with WGSL's precision rules, not IEEE's: division may be off by 2.5 ULP, sqrt
// inherits inverseSqrt's 2 ULP, exp/log 3 ULP, and sin/cos only promise an absolute 2^-11 on [−π, π].
// On SwiftShader (CI) division and sqrt came out exact, erf and exp within 0.53 of `math` below,
// and sin/cos off by up to 1.3e-4: `trig` allows 2^-12, half the WGSL bound and about twice that.
// Reductions run as parallel trees, in yet another order (worst seen: 0.19 of `sum`).
const WEBGPU_TOLERANCE: Readonly<Record<Precision, Tolerance>> = {
  exact: EXACT,
  rounded: { atol: 0, rtol: 3 * EPS },
  math: { atol: 2.5 * EPS, rtol: 5 * EPS },
  trig: { atol: 2 ** -12, rtol: 0 },
  sum: { atol: 4 * EPS, rtol: 8 * EPS },
};

const TOLERANCE: Readonly<Record<RuntimeName, Readonly<Record<Precision, Tolerance>>>> = {
  'node-cpu': CPU_TOLERANCE,
  'web-wasm': CPU_TOLERANCE,
  'node-webgpu': WEBGPU_TOLERANCE,
};

/**
 * Cases a runtime is known to fail (onnxruntime 1.30), by case name: run as test.fails, so a fixed
 * runtime shows up as a failure that asks for the entry to be removed.
 */
const KNOWN_FAILURES: Partial<Record<RuntimeName, Readonly<Record<string, string>>>> = {
  'node-webgpu': {
    'Pow (broadcast)': 'WebGPU Pow fails when the exponent broadcasts along the last axis ([3,1] against [2,1,4]): "absl raw_hash_map<>::at"',
    'MaxPool 3x3 pads 1 strides 2 with Indices': 'WebGPU MaxPool: "The Indices output is not supported yet" (pool.cc:276)',
  },
};

const RUNS = expandOpCases();
const cpu = nodeRuntime({ executionProviders: ['cpu'] });
const cpuOutputs = new Map<string, Promise<Record<string, Tensor>>>();

/** node-cpu's outputs for a run, computed once whichever block asks first. */
function onCpu(run: OpCaseRun): Promise<Record<string, Tensor>> {
  let outputs = cpuOutputs.get(run.key);
  if (!outputs) {
    outputs = runOpCase(cpu, run);
    cpuOutputs.set(run.key, outputs);
  }
  return outputs;
}

async function check(name: RuntimeName, runtime: Runtime, run: OpCaseRun): Promise<void> {
  const actual = name === 'node-cpu' ? await onCpu(run) : await runOpCase(runtime, run);
  const tolerance = TOLERANCE[name][run.opCase.precision];
  const reference = run.opCase.reference?.(run.opCase.inputs);
  const problems = reference ? compareOutputs(actual, reference, tolerance).map((p) => `vs reference: ${p}`) : [];
  if (name !== 'node-cpu') problems.push(...compareOutputs(actual, await onCpu(run), tolerance).map((p) => `vs node-cpu: ${p}`));
  if (problems.length > 0) expect.fail(`${run.key} on ${name}:\n${problems.join('\n')}`);
}

function defineRuntimeTests(name: RuntimeName, runtime: Runtime): void {
  for (const run of RUNS) {
    const known = KNOWN_FAILURES[name]?.[run.opCase.name];
    if (known) test.fails(`${run.key} (known failure: ${known})`, () => check(name, runtime, run));
    else test(run.key, () => check(name, runtime, run));
  }
}

/** Why no WebGPU session can be created here, or undefined when one can. */
async function webGpuMissing(runtime: Runtime): Promise<string | undefined> {
  try {
    const session = await runtime.createSession(buildOpCaseModel(RUNS[0]!));
    await session.release();
    return undefined;
  } catch (cause) {
    return (cause as Error).message.split('\n')[0];
  }
}

const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const webgpu = nodeRuntime({ executionProviders: ['webgpu'] });
const webgpuMissing = await webGpuMissing(webgpu);
const enableWebGpu = 'install libvulkan1 and chromium (SwiftShader, a software Vulkan), or set VK_ICD_FILENAMES to a GPU driver\'s Vulkan ICD';
if (webgpuMissing && !inCi) console.warn(`op conformance: node-webgpu skipped, no WebGPU adapter here; to run it, ${enableWebGpu}.`);

test('every op in OP_SCHEMAS has a conformance case', () => {
  expect(uncoveredOps()).toEqual([]);
});

describe('node-cpu', () => defineRuntimeTests('node-cpu', cpu));

describe('web-wasm', () => defineRuntimeTests('web-wasm', webRuntime({ executionProviders: ['wasm'] })));

describe.skipIf(webgpuMissing !== undefined && !inCi)('node-webgpu', () => {
  if (webgpuMissing === undefined) defineRuntimeTests('node-webgpu', webgpu);
  else test('has a WebGPU adapter (CI runs all three runtimes)', () => expect.fail(`${webgpuMissing}; ${enableWebGpu}`));
});
