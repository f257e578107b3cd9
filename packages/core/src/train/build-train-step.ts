// One training step as one ordinary ONNX model: the twin encoder (run once over every branch),
// pooling, the loss, its gradients and the optimizer update. Parameters and optimizer state are
// graph inputs, not initializers, so a session is created once and each step feeds current values.
import { backward } from '../autodiff/backward.js';
import { discoverParameters, type ParameterOptions } from '../autodiff/parameters.js';
import { poolEmbedding } from '../embed/pooling.js';
import type { Pooling } from '../embed/manifest.js';
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { importModel } from '../graph/import-model.js';
import { pruneDeadNodes } from '../graph/prune-dead-nodes.js';
import type { Value } from '../graph/value.js';
import { lossEntry, type LossEntry, type LossKind, type NamedLossOptions } from '../losses/loss-registry.js';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/proto.js';
import { dataTypeFromCode } from '../onnx/data-type.js';
import { foldDequantizeLinear } from '../onnx/fold-dequantize-linear.js';
import { tensorDims, tensorValues } from '../onnx/tensor-proto.js';
import { appendOptimizerStep, type OptimizerStepNames } from '../optimizers/optimizer-step.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { ClipGradNormOptions } from '../optimizers/clip-grad-norm.js';
import { createTensor, type Tensor } from '../runtime/runtime.js';
import { commuteReluMaxPool } from './commute-relu-max-pool.js';
import { paramsAsInputs } from './params-as-inputs.js';
import { mergeBranches, splitRows, type BranchInput } from './twin-branches.js';

/** A loss entry of any kind, narrowed by its `kind` (so a custom `build` gets that kind's inputs). */
export type AnyLossEntry = { [K in LossKind]: LossEntry<K> }[LossKind];

export interface TrainStepOptions {
  /** The encoder: model bytes, a decoded model, or an imported GraphBuilder (which is consumed). */
  encoder: Uint8Array | ModelProto | GraphBuilder;
  /** The encoder output to pool (default: its first output). */
  output?: string;
  /** Default 'mean' for a [batch, sequence, hidden] output, 'none' otherwise. */
  pooling?: Pooling;
  /** A sentence-transformers loss class name, or a loss entry of one's own. */
  loss: string | AnyLossEntry;
  lossOptions?: NamedLossOptions;
  optimizer: Optimizer;
  trainable?: ParameterOptions['trainable'];
  tied?: ParameterOptions['tied'];
  clipGradNorm?: ClipGradNormOptions;
}

/** A trainable parameter as the step sees it: graph input `name`, output `updated.${name}`. */
export interface TrainStepParam {
  readonly name: string;
  readonly dims: readonly number[];
}

export interface TrainStep {
  readonly model: Uint8Array;
  readonly roles: readonly string[];
  readonly branchInputs: readonly BranchInput[];
  /** The labels input (`labels`, float32 for pairs, int64 for labeled texts), when the loss takes one. */
  readonly labels?: { readonly name: string; readonly type: 'float32' | 'int64' };
  readonly params: readonly TrainStepParam[];
  /** The encoder's own values of the parameters, by graph input name. */
  readonly initialParams: Readonly<Record<string, Tensor>>;
  readonly optimizer: Optimizer;
  readonly io: OptimizerStepNames;
  /** The discovery settings, for exporting the trained encoder with the same parameter names. */
  readonly discovery: Pick<ParameterOptions, 'trainable' | 'tied'>;
}

const ROLES: Record<LossKind, readonly string[]> = {
  pairs: ['anchor', 'other'],
  triplets: ['anchor', 'positive', 'negative'],
  labeled: ['text'],
  ranking: ['anchor', 'positive'],
};
const LABELS: Partial<Record<LossKind, 'float32' | 'int64'>> = { pairs: 'float32', labeled: 'int64' };

export function buildTrainStep(options: TrainStepOptions): TrainStep {
  const b = builderOf(options.encoder);
  const discovery = { trainable: options.trainable ?? 'all', tied: options.tied ?? 'untie' } as const;
  const encoderParams = [...discoverParameters(b, discovery).values()]; // before the loss adds constants of its own
  const before = new Set(b.initializers.keys());
  const { loss, roles, feeds, labels } = appendTwinLoss(b, options);
  commuteReluMaxPool(b);
  const params = [...encoderParams, ...lossParameters(b, before)];
  if (params.length === 0) fail('train', `train step: expected at least one trainable parameter, got none (trainable: ${String(discovery.trainable)})`);
  // A parameter the loss does not read (a pooler beside the pooled output) gets no gradient, and the
  // optimizer leaves it and its state alone: PyTorch skips a parameter whose grad is None, weight decay included.
  const read = dependencies(loss);
  const reached = params.filter((p) => read.has(p.value));
  if (reached.length === 0) fail('train', `train step: expected the loss to depend on a trainable parameter, got none of ${params.length} (${params.slice(0, 3).map((p) => p.value.name).join(', ')}${params.length > 3 ? ', …' : ''})`);
  const grads = new Map(backward(b, { loss, wrt: reached.map((p) => p.value) }).map((g, i) => [reached[i]!, g]));
  const io = appendOptimizerStep(b, {
    optimizer: options.optimizer, clipGradNorm: options.clipGradNorm,
    params: params.map((p) => ({ name: p.value.name, param: p.value, grad: grads.get(p) ?? null, dims: p.dims })),
  });
  pruneDeadNodes(b); // encoder outputs the loss does not read (a pooler) would still run every step
  const initialParams = Object.fromEntries(params.map((p) => [p.value.name, createTensor('float32', tensorValues(b.initializers.get(p.value.name)!) as Float32Array, p.dims)]));
  const model = paramsAsInputs(b.toModel(), params.map((p) => ({ name: p.value.name, dims: p.dims })));
  return {
    model: encodeModel(model), roles, branchInputs: feeds, ...(labels ? { labels } : {}),
    params: params.map((p) => ({ name: p.value.name, dims: p.dims })), initialParams, optimizer: options.optimizer, io, discovery,
  };
}

/** Every value `v` is computed from, itself included. */
function dependencies(v: Value): Set<Value> {
  const seen = new Set<Value>();
  for (const stack = [v]; stack.length > 0;) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    for (const input of x.producer?.inputs ?? []) if (input) stack.push(input);
  }
  return seen;
}

/**
 * A loss's own parameters (KochBCE's head): the initializers it made with `b.param` (literals are
 * Constants). They are new, so they train whatever `trainable` selects of the encoder.
 */
function lossParameters(b: GraphBuilder, before: ReadonlySet<string>): { value: Value; dims: readonly number[] }[] {
  return [...b.initializers].filter(([name, t]) => !before.has(name) && dataTypeFromCode(t.dataType ?? 0) === 'float32' && tensorDims(t).length > 0)
    .map(([name, t]) => ({ value: b.value(name), dims: tensorDims(t) }));
}

/** The train step's forward half alone (same inputs less parameters and optimizer; output `loss`): for validation elsewhere and benchmarks. */
export function buildLossModel(options: Omit<TrainStepOptions, 'optimizer' | 'trainable' | 'tied' | 'clipGradNorm'>): Uint8Array {
  const b = builderOf(options.encoder);
  appendTwinLoss(b, options);
  commuteReluMaxPool(b);
  pruneDeadNodes(b);
  return encodeModel(b.toModel());
}

/** Int8-stored weights (DequantizeLinear of initializers) are folded to float32 first: they are what trains. */
function builderOf(encoder: TrainStepOptions['encoder']): GraphBuilder {
  if (typeof encoder === 'object' && 'op' in encoder) return encoder;
  return importModel(foldDequantizeLinear(encoder instanceof Uint8Array ? decodeModel(encoder) : encoder));
}

/** Branch inputs → one encoder run → pooling → rows per role → the loss, the only output. */
function appendTwinLoss(b: GraphBuilder, options: Pick<TrainStepOptions, 'output' | 'pooling' | 'loss' | 'lossOptions'>) {
  const entry = (typeof options.loss === 'string' ? lossEntry(options.loss) : options.loss) as LossEntry;
  const encoded = b.outputs.find((v) => v.name === (options.output ?? b.outputs[0]?.name));
  if (!encoded) fail('train', `train step: expected the encoder output ${options.output ? `"${options.output}"` : 'to exist'}, got outputs [${b.outputs.map((v) => v.name).join(', ')}]`);
  const roles = ROLES[entry.kind];
  const { feeds, merged } = mergeBranches(b, roles, b.inputs.filter((v) => v.kind === 'input'));
  const pooling = options.pooling ?? (encoded.shape?.length === 3 ? 'mean' : 'none');
  const rows = splitRows(b, poolEmbedding(b, encoded, pooling, merged.get('attention_mask')), roles, b.value(feeds[0]!.name));
  const labelType = LABELS[entry.kind];
  const labelsInput = labelType && b.input('labels', labelType, ['batch']);
  const loss = entry.build(b, lossInputs(entry.kind, rows, labelsInput), options.lossOptions ?? {});
  b.outputs.length = 0;
  b.output(loss, 'loss').shape ??= []; // every loss is a scalar; said so where inference cannot tell (ONNX wants output shapes)
  return { loss, roles, feeds, labels: labelType ? { name: 'labels', type: labelType } : undefined };
}

function lossInputs(kind: LossKind, rows: Value[], labels: Value | undefined) {
  switch (kind) {
    case 'pairs': return { anchor: rows[0]!, other: rows[1]!, labels: labels! };
    case 'triplets': return { anchor: rows[0]!, positive: rows[1]!, negative: rows[2]! };
    case 'labeled': return { embeddings: rows[0]!, labels: labels! };
    case 'ranking': return { anchor: rows[0]!, positive: rows[1]! };
  }
}
