// torch.optim.Adam and AdamW (amsgrad=False, maximize=False, single-tensor path) as graphs, with
// PyTorch's operation order: the step's scalars come from the host in float64, as in Python.
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import type { Optimizer, ParamUpdate, ParamUpdateInputs } from './optimizer.js';
import { checkStep, inRange } from './optimizer-options.js';

export interface AdamOptions {
  /** Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Added outside the square root, default 1e-8. */
  eps?: number;
  /** λ: default 0 for Adam (L2, added to the gradient), 0.01 for AdamW (decoupled). */
  weightDecay?: number;
}

/**
 * Adam: g ← g + λθ; m ← m + (1 − β₁)(g − m); v ← β₂v + (1 − β₂)g²;
 * θ ← θ − (γ/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε).
 */
export function createAdam(options: AdamOptions = {}): Optimizer {
  return adamFamily('Adam', options, false);
}

/** AdamW: θ ← θ·(1 − γλ) first, then Adam's update without λ in the gradient. */
export function createAdamW(options: AdamOptions = {}): Optimizer {
  return adamFamily('AdamW', options, true);
}

interface AdamSettings { beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean }

function adamFamily(name: string, options: AdamOptions, decoupled: boolean): Optimizer {
  const betas = options.betas ?? [0.9, 0.999];
  const s: AdamSettings = {
    beta1: inRange(name, 'betas[0]', betas[0], 0.9, 0, 1),
    beta2: inRange(name, 'betas[1]', betas[1], 0.999, 0, 1),
    eps: inRange(name, 'eps', options.eps, 1e-8, 0, Infinity),
    weightDecay: inRange(name, 'weightDecay', options.weightDecay, decoupled ? 0.01 : 0, 0, Infinity),
    decoupled,
  };
  return {
    name,
    stateNames: ['exp_avg', 'exp_avg_sq'],
    scalarNames: decoupled ? ['step_size', 'bias_correction2_sqrt', 'decay'] : ['step_size', 'bias_correction2_sqrt'],
    scalars(step, lr) {
      checkStep(name, step, lr);
      const common = { step_size: lr / (1 - s.beta1 ** step), bias_correction2_sqrt: Math.sqrt(1 - s.beta2 ** step) };
      return decoupled ? { ...common, decay: 1 - lr * s.weightDecay } : common;
    },
    update: (b, inputs) => adamUpdate(b, inputs, s),
  };
}

function adamUpdate(b: GraphBuilder, { param, grad, state, scalars }: ParamUpdateInputs, s: AdamSettings): ParamUpdate {
  let theta = param;
  let g = grad;
  if (s.weightDecay !== 0) {
    if (s.decoupled) theta = b.op.Mul(param, scalars.decay!);
    else g = b.op.Add(grad, b.op.Mul(param, s.weightDecay));
  }
  const m = lerp(b, state.exp_avg!, g, 1 - s.beta1);
  const v = b.op.Add(b.op.Mul(state.exp_avg_sq!, s.beta2), b.op.Mul(b.op.Mul(g, 1 - s.beta2), g));
  const denom = b.op.Add(b.op.Div(b.op.Sqrt(v), scalars.bias_correction2_sqrt!), s.eps);
  const updated = b.op.Sub(theta, b.op.Div(b.op.Mul(m, scalars.step_size!), denom));
  return { param: updated, state: { exp_avg: m, exp_avg_sq: v } };
}

/** torch.lerp(start, end, w): start + w(end − start) for w < 0.5, else end − (1 − w)(end − start). */
function lerp(b: GraphBuilder, start: Value, end: Value, weight: number): Value {
  const delta = b.op.Sub(end, start);
  return weight < 0.5 ? b.op.Add(start, b.op.Mul(delta, weight)) : b.op.Sub(end, b.op.Mul(delta, 1 - weight));
}
