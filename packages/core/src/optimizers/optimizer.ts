// What an optimizer is to the train step: per-parameter state tensors, per-step scalars computed on
// the host in float64 (as PyTorch computes them in Python), and a graph update for one parameter.
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';

export interface ParamUpdateInputs {
  readonly param: Value;
  readonly grad: Value;
  /** This parameter's state before the step, by PyTorch's state key ('exp_avg', 'momentum_buffer', …). */
  readonly state: Readonly<Record<string, Value>>;
  /** The step's float32 scalar inputs, by name (see Optimizer.scalarNames). */
  readonly scalars: Readonly<Record<string, Value>>;
}

export interface ParamUpdate {
  readonly param: Value;
  readonly state: Readonly<Record<string, Value>>;
}

export interface Optimizer {
  /** PyTorch's class name: 'SGD', 'Adam', 'AdamW'. */
  readonly name: string;
  /** Per-parameter state tensors, each shaped like the parameter and zero before the first step. */
  readonly stateNames: readonly string[];
  /** Per-step scalar inputs shared by every parameter. */
  readonly scalarNames: readonly string[];
  /**
   * The scalar inputs for update number `step` (1-based, PyTorch's state['step'] after its increment)
   * at learning rate `lr` (from a schedule), in float64 as PyTorch's Python code computes them.
   */
  scalars(step: number, lr: number): Record<string, number>;
  /** Emits one parameter's update. */
  update(b: GraphBuilder, inputs: ParamUpdateInputs): ParamUpdate;
}
