// The finite-difference oracle for gradient rules, on any Runtime: a case's output y is reduced to
// L = Σ r·y with a fixed non-trivial r (so every element of dy differs), backward() gives dL/dx,
// and central differences of L give the same numerically. Run in float64 where the kernels allow.
import { fail } from '../errors.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import type { Dim, Value } from '../graph/value.js';
import { encodeModel } from '../onnx/proto.js';
import type { Runtime, Tensor } from '../runtime/runtime.js';
import { backward } from './backward.js';
import type { GradRule } from './grad-rule.js';

export type GradCheckType = 'float64' | 'float32';

export interface GradCaseSpec<K extends string> {
  readonly name: string;
  /** The ops whose rules this case checks. */
  readonly ops: readonly string[];
  /** Opsets to build at (default 17). */
  readonly opsets?: readonly number[];
  /** Element type of the float inputs (default float64; float32 where onnxruntime's CPU has no float64 kernel). */
  readonly type?: GradCheckType;
  /** Inputs as float32/int64/bool tensors; float ones are converted to `type`. */
  readonly inputs: Readonly<Record<K, Tensor>>;
  /** Declared dims, where they should not be the static ones (symbolic 'batch', or null). */
  readonly dims?: Partial<Record<K, readonly Dim[]>>;
  /** Inputs to differentiate (default: every float input). */
  readonly wrt?: readonly K[];
  build(b: GraphBuilder, x: Readonly<Record<K, Value>>): Value;
}

export type GradCase = GradCaseSpec<string>;

export function gradCase<K extends string>(spec: GradCaseSpec<K>): GradCase {
  return spec as unknown as GradCase;
}

/** Worst |analytic − numeric| over an input, relative to that input's largest numeric gradient (at least 1e-3). */
export interface GradCheckResult { readonly input: string; readonly error: number; readonly scale: number }

function converted(t: Tensor, type: GradCheckType): Tensor {
  if (t.type !== 'float32') return t;
  return { type, dims: t.dims, data: type === 'float64' ? Float64Array.from(t.data as Float32Array) : t.data };
}

function build(c: GradCase, opset: number, feeds: Record<string, Tensor>, r?: Tensor, rules?: ReadonlyMap<string, GradRule>): { model: Uint8Array; wrt: string[] } {
  const b = new GraphBuilder({ opset, name: c.name });
  const x = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, b.input(name, t.type, c.dims?.[name] ?? t.dims)]));
  const y = c.build(b, x);
  const wrt = [...(c.wrt ?? Object.keys(feeds).filter((n) => feeds[n]!.type === 'float64' || feeds[n]!.type === 'float32'))];
  if (!r) {
    b.output(y, 'y');
    return { model: encodeModel(b.toModel()), wrt };
  }
  const loss = b.op.ReduceSum(b.op.Mul(y, b.constant(r)), { keepdims: 0 });
  b.output(loss, 'loss');
  backward(b, { loss, wrt: wrt.map((n) => x[n]!), ...(rules ? { rules } : {}) }).forEach((g, i) => b.output(g, `grad_${wrt[i]}`));
  return { model: encodeModel(b.toModel()), wrt };
}

/** Runs one case at one opset (with other `rules` to show a wrong one is caught); returns the worst relative error per differentiated input. */
export async function checkGradients(runtime: Runtime, c: GradCase, opset: number, rules?: ReadonlyMap<string, GradRule>): Promise<GradCheckResult[]> {
  const type = c.type ?? 'float64';
  const feeds = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, converted(t, type)]));
  const forward = await runtime.createSession(build(c, opset, feeds).model, { graphOptimizationLevel: 'disabled' });
  const { y } = await forward.run(feeds);
  await forward.release();
  const count = y!.data.length;
  const values = Array.from({ length: count }, (_, i) => Math.sin(1.3 * i + 0.7) + 0.5);
  const r: Tensor = { type, dims: y!.dims, data: type === 'float64' ? Float64Array.from(values) : Float32Array.from(values) };
  const { model, wrt } = build(c, opset, feeds, r, rules);
  const session = await runtime.createSession(model, { graphOptimizationLevel: 'disabled' })
    .catch((cause: unknown) => fail('autodiff', `gradient case "${c.name}" @ opset ${opset}: ${(cause as Error).message}`, cause));
  try {
    const analytic = await session.run(feeds);
    const h = type === 'float64' ? 1e-6 : 1e-2;
    const loss = async (f: Record<string, Tensor>) => Number((await session.run(f, { outputs: ['loss'] })).loss!.data[0]);
    const results: GradCheckResult[] = [];
    for (const name of wrt) {
      const base = feeds[name]!.data as Float64Array | Float32Array;
      const numeric: number[] = [];
      for (let j = 0; j < base.length; j++) {
        const at = (d: number) => {
          const data = base.slice();
          data[j] = base[j]! + d;
          return { ...feeds, [name]: { ...feeds[name]!, data } };
        };
        numeric.push(((await loss(at(h))) - (await loss(at(-h)))) / (2 * h));
      }
      const got = analytic[`grad_${name}`]!.data as Float64Array | Float32Array;
      if (got.length !== numeric.length) fail('autodiff', `gradient case "${c.name}", input ${name}: expected ${numeric.length} gradient elements, got ${got.length}`);
      const scale = numeric.reduce((m, n) => Math.max(m, Math.abs(n)), 1e-3);
      results.push({ input: name, scale, error: numeric.reduce((m, n, j) => Math.max(m, Math.abs(n - got[j]!)), -Infinity) / scale });
    }
    return results;
  } finally {
    await session.release();
  }
}
