// torch.optim.SGD (maximize=False) as a graph: weight decay, momentum with dampening, Nesterov.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import type { Optimizer, ParamUpdate, ParamUpdateInputs } from './optimizer.js';
import { checkStep, inRange } from './optimizer-options.js';

export interface SgdOptions {
  /** μ, default 0 (no state). */
  momentum?: number;
  /** τ, default 0. */
  dampening?: number;
  /** λ, default 0. */
  weightDecay?: number;
  /** Default false; needs momentum > 0 and dampening 0, as PyTorch requires. */
  nesterov?: boolean;
}

/**
 * g ← g + λθ; b ← g on step 1, else μb + (1 − τ)g; g ← g + μb (Nesterov) or b; θ ← θ − γg.
 * The buffer starts at zero, so μb + 1·g is exactly g on step 1; with dampening, the gradient's
 * weight is fed per step (1 on step 1, 1 − τ after).
 */
export function createSgd(options: SgdOptions = {}): Optimizer {
  const momentum = inRange('SGD', 'momentum', options.momentum, 0, 0, Infinity);
  const dampening = inRange('SGD', 'dampening', options.dampening, 0, 0, 1, true);
  const weightDecay = inRange('SGD', 'weightDecay', options.weightDecay, 0, 0, Infinity);
  const nesterov = options.nesterov ?? false;
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    fail('optimizers', `SGD nesterov: expected momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`);
  }
  const withBuffer = momentum !== 0;
  return {
    name: 'SGD',
    stateNames: withBuffer ? ['momentum_buffer'] : [],
    scalarNames: dampening !== 0 ? ['lr', 'grad_weight'] : ['lr'],
    scalars(step, lr): Record<string, number> {
      checkStep('SGD', step, lr);
      return dampening !== 0 ? { lr, grad_weight: step === 1 ? 1 : 1 - dampening } : { lr };
    },
    update: (b, inputs) => sgdUpdate(b, inputs, { momentum, weightDecay, nesterov, withBuffer }),
  };
}

interface SgdSettings { momentum: number; weightDecay: number; nesterov: boolean; withBuffer: boolean }

function sgdUpdate(b: GraphBuilder, { param, grad, state, scalars }: ParamUpdateInputs, s: SgdSettings): ParamUpdate {
  let g = s.weightDecay === 0 ? grad : b.op.Add(grad, b.op.Mul(param, s.weightDecay));
  const next: Record<string, Value> = {};
  if (s.withBuffer) {
    const weighted = scalars.grad_weight ? b.op.Mul(g, scalars.grad_weight) : g;
    const buffer = b.op.Add(b.op.Mul(state.momentum_buffer!, s.momentum), weighted);
    next.momentum_buffer = buffer;
    g = s.nesterov ? b.op.Add(g, b.op.Mul(buffer, s.momentum)) : buffer;
  }
  return { param: b.op.Sub(param, b.op.Mul(g, scalars.lr!)), state: next };
}
