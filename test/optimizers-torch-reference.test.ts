// Optimizer graphs against a float64 JS transcription of the pseudo-code in PyTorch's docs
// (torch.optim.SGD / Adam / AdamW, torch.nn.utils.clip_grad_norm_): several steps with random
// parameters and gradients, each step's outputs fed back as the next step's inputs.
import { describe, expect, test } from 'vitest';
import {
  appendOptimizerStep, createAdam, createAdamW, createLrSchedule, createSgd, createTensor, encodeModel, GraphBuilder, nodeRuntime,
  type AdamOptions, type ClipGradNormOptions, type LrSchedule, type Optimizer, type SgdOptions, type Tensor,
} from '@twinembed/node';
import { seededRandom } from './support/random.js';

const SHAPES = [[3, 4], [5]] as const;
const STEPS = 6;

type Reference = (p: Float64Array, g: Float64Array, s: Record<string, Float64Array>, t: number, lr: number) => void;

/** SGD docs: g += λθ; b = g (t = 1) or μb + (1 − τ)g; g = g + μb (Nesterov) or b; θ −= γg. */
function sgdReference(o: SgdOptions): Reference {
  const [mu, tau, wd] = [o.momentum ?? 0, o.dampening ?? 0, o.weightDecay ?? 0];
  return (p, g, s, t, lr) => {
    for (let i = 0; i < p.length; i++) {
      let gi = g[i]! + wd * p[i]!;
      if (mu !== 0) {
        const buf = (s.momentum_buffer![i] = t > 1 ? mu * s.momentum_buffer![i]! + (1 - tau) * gi : gi);
        gi = o.nesterov ? gi + mu * buf : buf;
      }
      p[i] = p[i]! - lr * gi;
    }
  };
}

/** Adam/AdamW docs: θ −= γλθ (AdamW) or g += λθ (Adam); m, v moments; θ −= γ m̂ / (√v̂ + ε). */
function adamReference(o: AdamOptions, decoupled: boolean): Reference {
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? (decoupled ? 0.01 : 0);
  return (p, g, s, t, lr) => {
    for (let i = 0; i < p.length; i++) {
      if (decoupled) p[i] = p[i]! - lr * wd * p[i]!;
      const gi = decoupled ? g[i]! : g[i]! + wd * p[i]!;
      const m = (s.exp_avg![i] = b1 * s.exp_avg![i]! + (1 - b1) * gi);
      const v = (s.exp_avg_sq![i] = b2 * s.exp_avg_sq![i]! + (1 - b2) * gi * gi);
      p[i] = p[i]! - (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
    }
  };
}

/** clip_grad_norm_ docs: total = ‖(‖g₁‖, …)‖; g ×= min(max_norm / (total + 1e-6), 1). */
function clipReference(grads: Float64Array[], { maxNorm, normType = 2 }: ClipGradNormOptions): void {
  const total = normType === Infinity
    ? Math.max(...grads.flatMap((g) => Array.from(g, Math.abs)))
    : Math.sqrt(grads.reduce((sum, g) => sum + g.reduce((s, x) => s + x * x, 0), 0));
  const coefficient = Math.min(maxNorm / (total + 1e-6), 1);
  for (const g of grads) g.forEach((x, i) => (g[i] = x * coefficient));
}

interface Case { name: string; optimizer: Optimizer; reference: Reference; schedule: LrSchedule; clip?: ClipGradNormOptions; gradScale?: number }

const constant = (lr: number) => createLrSchedule({ lr });
const CASES: Case[] = [
  { name: 'SGD plain', optimizer: createSgd(), reference: sgdReference({}), schedule: constant(0.1) },
  { name: 'SGD momentum + weight decay', optimizer: createSgd({ momentum: 0.9, weightDecay: 0.01 }), reference: sgdReference({ momentum: 0.9, weightDecay: 0.01 }), schedule: constant(0.05) },
  { name: 'SGD momentum + dampening', optimizer: createSgd({ momentum: 0.8, dampening: 0.3 }), reference: sgdReference({ momentum: 0.8, dampening: 0.3 }), schedule: constant(0.05) },
  { name: 'SGD Nesterov', optimizer: createSgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-3 }), reference: sgdReference({ momentum: 0.9, nesterov: true, weightDecay: 1e-3 }), schedule: constant(0.05) },
  { name: 'Adam', optimizer: createAdam(), reference: adamReference({}, false), schedule: constant(1e-2) },
  { name: 'Adam L2 weight decay', optimizer: createAdam({ weightDecay: 0.1, betas: [0.8, 0.99] }), reference: adamReference({ weightDecay: 0.1, betas: [0.8, 0.99] }, false), schedule: constant(1e-2) },
  { name: 'AdamW defaults', optimizer: createAdamW(), reference: adamReference({}, true), schedule: constant(1e-2) },
  { name: 'AdamW wd 0.1, eps 1e-6', optimizer: createAdamW({ weightDecay: 0.1, eps: 1e-6 }), reference: adamReference({ weightDecay: 0.1, eps: 1e-6 }, true), schedule: constant(1e-2) },
  { name: 'AdamW, linear warm-up/decay', optimizer: createAdamW(), reference: adamReference({}, true), schedule: createLrSchedule({ lr: 1e-2, kind: 'linear', warmupSteps: 2, totalSteps: STEPS }) },
  { name: 'SGD momentum, cosine schedule', optimizer: createSgd({ momentum: 0.9 }), reference: sgdReference({ momentum: 0.9 }), schedule: createLrSchedule({ lr: 0.1, kind: 'cosine', warmupSteps: 1, totalSteps: STEPS }) },
  { name: 'SGD, clip_grad_norm_ 2-norm', optimizer: createSgd(), reference: sgdReference({}), schedule: constant(0.1), clip: { maxNorm: 1 }, gradScale: 3 },
  { name: 'AdamW, clip_grad_norm_ inf-norm', optimizer: createAdamW(), reference: adamReference({}, true), schedule: constant(1e-2), clip: { maxNorm: 0.5, normType: Infinity }, gradScale: 3 },
];

function buildStep(c: Case) {
  const b = new GraphBuilder({ name: c.name });
  const params = SHAPES.map((dims, i) => ({
    name: `p${i}`, dims, param: b.input(`p${i}`, 'float32', dims), grad: b.input(`g${i}`, 'float32', dims),
  }));
  const names = appendOptimizerStep(b, { optimizer: c.optimizer, params, ...(c.clip ? { clipGradNorm: c.clip } : {}) });
  return { model: encodeModel(b.toModel()), names };
}

const f32 = (x: Float64Array, dims: readonly number[]): Tensor => createTensor('float32', Float32Array.from(x), dims);

describe('optimizer graphs = PyTorch docs pseudo-code', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const random = seededRandom(7);
    const uniform = (n: number, scale: number) => Float64Array.from({ length: n }, () => scale * (2 * random() - 1));
    const size = (dims: readonly number[]) => dims.reduce((a, d) => a * d, 1);
    const { model, names } = buildStep(c);
    const session = await nodeRuntime().createSession(model);
    const initial = SHAPES.map((dims) => uniform(size(dims), 1));
    let graphParams: Float32Array[] = initial.map((p) => Float32Array.from(p));
    let graphState: Record<string, Float32Array>[] = names.params.map((p, i) => Object.fromEntries(p.state.map((s) => [s.key, new Float32Array(size(SHAPES[i]!))])));
    const refParams = initial.map((p) => Float64Array.from(Float32Array.from(p)));
    const refState = SHAPES.map((dims) => Object.fromEntries(c.optimizer.stateNames.map((k) => [k, new Float64Array(size(dims))])));
    for (let t = 1; t <= STEPS; t++) {
      const grads = SHAPES.map((dims) => Float64Array.from(Float32Array.from(uniform(size(dims), c.gradScale ?? 1))));
      const lr = c.schedule(t - 1);
      const feeds: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.optimizer.scalars(t, lr))) feeds[names.scalars[k]!] = createTensor('float32', Float32Array.of(v), []);
      names.params.forEach((p, i) => {
        feeds[p.name] = createTensor('float32', graphParams[i]!, SHAPES[i]!);
        feeds[`g${i}`] = f32(grads[i]!, SHAPES[i]!);
        for (const s of p.state) feeds[s.input] = createTensor('float32', graphState[i]![s.key]!, SHAPES[i]!);
      });
      const out = await session.run(feeds);
      graphParams = names.params.map((p) => out[p.output]!.data as Float32Array);
      graphState = names.params.map((p) => Object.fromEntries(p.state.map((s) => [s.key, out[s.output]!.data as Float32Array])));
      if (c.clip) clipReference(grads, c.clip);
      refParams.forEach((p, i) => c.reference(p, grads[i]!, refState[i]!, t, lr));
    }
    await session.release();
    const worst = Math.max(...refParams.flatMap((p, i) => Array.from(p, (x, j) => Math.abs(x - graphParams[i]![j]!))));
    const moved = Math.max(...refParams.flatMap((p, i) => Array.from(p, (x, j) => Math.abs(x - initial[i]![j]!))));
    // float32 graph vs float64 reference over 6 steps on O(1) parameters: a few float32 ulps.
    expect(worst).toBeLessThan(2e-6);
    expect(moved).toBeGreaterThan(1e-2);
  });
});
