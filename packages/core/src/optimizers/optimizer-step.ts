// Appends the optimizer half of a train step: given each trainable parameter's value and gradient
// (from backward, or fed), declares the step's scalar and state inputs, optionally clips the
// gradients, and outputs the updated parameters and state under names the trainer feeds back.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { clipGradNorm, type ClipGradNormOptions } from './clip-grad-norm.js';
import type { Optimizer } from './optimizer.js';

export interface TrainableGrad {
  /** The parameter's name (module path); state inputs are `${name}.${stateName}`. */
  readonly name: string;
  readonly param: Value;
  /** null: the loss does not depend on it, and like PyTorch (a `grad` of None) the step leaves it and its state as they are. */
  readonly grad: Value | null;
  readonly dims: readonly number[];
}

export interface OptimizerStepOptions {
  readonly optimizer: Optimizer;
  readonly params: readonly TrainableGrad[];
  readonly clipGradNorm?: ClipGradNormOptions;
}

/** Graph I/O names: feed `scalars` (optimizer.scalars(step, lr)) and `state`; read `params` and `state` outputs. */
export interface OptimizerStepNames {
  /** Optimizer scalar name → graph input name (`optimizer.${name}`). */
  readonly scalars: Readonly<Record<string, string>>;
  /** Per parameter: its output name and, per state tensor, the input and output names. */
  readonly params: readonly { name: string; output: string; state: readonly { key: string; input: string; output: string }[] }[];
  /** Output name of the gradients' total norm before clipping, when clipping. */
  readonly totalNorm?: string;
}

export function appendOptimizerStep(b: GraphBuilder, options: OptimizerStepOptions): OptimizerStepNames {
  const { optimizer, params } = options;
  if (params.length === 0) fail('optimizers', `${optimizer.name} step: expected at least one trainable parameter, got none`);
  const scalarNames = Object.fromEntries(optimizer.scalarNames.map((s) => [s, `optimizer.${s}`]));
  const scalars = Object.fromEntries(optimizer.scalarNames.map((s) => [s, b.input(scalarNames[s]!, 'float32', [])]));
  const withGrad = params.filter((p): p is TrainableGrad & { grad: Value } => p.grad !== null);
  const clipped = options.clipGradNorm && withGrad.length > 0 ? clipGradNorm(b, withGrad.map((p) => p.grad), options.clipGradNorm) : undefined;
  const clippedGrad = new Map(withGrad.map((p, i) => [p.name, clipped?.grads[i] ?? p.grad]));
  const names = params.map((p) => {
    const stateInputs = Object.fromEntries(optimizer.stateNames.map((key) => [key, b.input(`${p.name}.${key}`, 'float32', p.dims)]));
    const grad = clippedGrad.get(p.name);
    const update = grad ? optimizer.update(b, { param: p.param, grad, state: stateInputs, scalars }) : { param: p.param, state: stateInputs };
    // Declared with the parameter's dims: shape inference cannot always see through a gradient (Gemm's transB), and ONNX wants output shapes.
    const declare = (value: Value, name: string) => Object.assign(b.output(value, name), { shape: [...p.dims] }).name;
    const output = declare(update.param, `updated.${p.name}`);
    const state = optimizer.stateNames.map((key) => ({ key, input: `${p.name}.${key}`, output: declare(update.state[key]!, `updated.${p.name}.${key}`) }));
    return { name: p.name, output, state };
  });
  const totalNorm = clipped ? b.output(clipped.totalNorm, 'optimizer.total_norm').name : undefined;
  return { scalars: scalarNames, params: names, ...(totalNorm === undefined ? {} : { totalNorm }) };
}
