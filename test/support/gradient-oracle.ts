// Shared by the autodiff fixture tests: comparing gradients with PyTorch's, running backward() over
// discovered parameters, and the sentence-transformers pair losses on mean-pooled BERT exports.
import { readFileSync } from 'node:fs';
import { encodeModel, readSafetensors, type GraphBuilder, type Runtime, type Tensor, type Value } from '@twinembed/node';
import { backward } from '../../packages/core/src/autodiff/backward.js';
import { discoverParameters, type ParameterOptions } from '../../packages/core/src/autodiff/parameters.js';
import { sharedPath } from './paths.js';

export const fixture = (...parts: string[]) => readFileSync(sharedPath('fixtures', ...parts));

export interface Comparison { worst: number; scale: number }

/** Worst |ours − torch| and max |torch| over one tensor, with `ours` transposed (2-D) when the export stores Wᵀ. */
export function compare(ours: Tensor, torch: Tensor, transposed: boolean): Comparison {
  const a = ours.data as Float32Array;
  const t = torch.data as Float32Array;
  const [rows, cols] = ours.dims as number[];
  const at = (i: number) => (transposed ? a[(i % rows!) * cols! + Math.floor(i / rows!)]! : a[i]!);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < t.length; i++) {
    worst = Math.max(worst, Math.abs(at(i) - t[i]!));
    scale = Math.max(scale, Math.abs(t[i]!));
  }
  return { worst, scale };
}

/**
 * The error relative to the tensor's largest gradient. A tensor whose true gradient is exactly zero
 * (attention's key bias: softmax ignores a shift common to all scores) holds float32 noise ~1e-13
 * on both sides; it is measured against the largest gradient of the model instead.
 */
export function relativeErrors(comparisons: Map<string, Comparison>): Map<string, number> {
  const global = Math.max(...[...comparisons.values()].map((c) => c.scale));
  return new Map([...comparisons].map(([name, c]) => [name, c.worst / (c.scale < 1e-6 * global ? global : c.scale)]));
}

/** Discovers the parameters, appends the loss and its gradients w.r.t. every parameter, and runs the model once. */
export async function gradients(
  runtime: Runtime, b: GraphBuilder, append: (b: GraphBuilder) => Value, feeds: Record<string, Tensor>, options: ParameterOptions = {},
): Promise<{ loss: number; grads: Map<string, Tensor> }> {
  const params = [...discoverParameters(b, options).values()]; // before the loss adds its own constants
  const loss = append(b);
  b.outputs.length = 0;
  b.output(loss, 'loss');
  backward(b, { loss, wrt: params.map((p) => p.value) }).forEach((g, i) => b.output(g, `grad:${params[i]!.name}`));
  const session = await runtime.createSession(encodeModel(b.toModel()));
  const out = await session.run(feeds);
  await session.release();
  const grads = new Map(params.map((p) => [p.name, out[`grad:${p.name}`]!]));
  return { loss: Number(out.loss!.data[0]), grads };
}

export type PairLoss = (b: GraphBuilder, u: Value, v: Value) => Value;

/** A BERT fixture's sentence pairs: the 32 tokenized sentences as feeds, mean pooling, and two pair losses. */
export function sentencePairs(dir: string) {
  const sentences = (JSON.parse(fixture(dir, 'sentences.json').toString()) as { sentences: string[] }).sentences;
  const pairs = (JSON.parse(fixture(dir, 'batches.json').toString()) as { pairs: { a: string[]; b: string[]; label: number[]; score: number[] } }).pairs;
  const losses = JSON.parse(fixture(dir, 'losses.json').toString()) as Record<string, { loss: number }>;
  /** Export file → initializer → the Hugging Face parameter(s) it holds (bert-tiny-zeroinit has none). */
  const paramMap = () => JSON.parse(fixture(dir, 'param_map.json').toString()) as Record<string, Record<string, { param: string; transposed: boolean }[]>>;
  const inputs = readSafetensors(fixture(dir, 'inputs.safetensors'));
  const feeds = Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((n) => [n, inputs.get(n)!]));
  const rows = (texts: string[]) => texts.map((t) => {
    const i = sentences.indexOf(t);
    if (i < 0) throw new Error(`pair text not in sentences.json: ${t}`);
    return i;
  });

  /** sentence-transformers' mean pooling: Σ h·mask / clamp(Σ mask, 1e-9), for all 32 sentences, then the pair rows. */
  function pooledPairs(b: GraphBuilder): [Value, Value] {
    const mask = b.op.Unsqueeze(b.op.Cast(b.value('attention_mask'), { to: 'float32' }), { axes: [-1] });
    const summed = b.op.ReduceSum(b.op.Mul(b.value('last_hidden_state'), mask), { axes: [1], keepdims: 0 });
    const mean = b.op.Div(summed, b.op.Max(b.op.ReduceSum(mask, { axes: [1], keepdims: 0 }), 1e-9));
    return [b.op.Gather(mean, b.int64s(rows(pairs.a)), { axis: 0 }), b.op.Gather(mean, b.int64s(rows(pairs.b)), { axis: 0 })];
  }

  /** torch.cosine_similarity (eps 1e-8 on each norm). */
  function cosine(b: GraphBuilder, u: Value, v: Value): Value {
    const norm = (w: Value) => b.op.Max(b.op.Sqrt(b.op.ReduceSum(b.op.Mul(w, w), { axes: [1], keepdims: 0 })), 1e-8);
    return b.op.Div(b.op.ReduceSum(b.op.Mul(u, v), { axes: [1], keepdims: 0 }), b.op.Mul(norm(u), norm(v)));
  }

  const constant = (b: GraphBuilder, values: number[]) => b.constant({ type: 'float32', dims: [values.length], data: Float32Array.from(values) });
  const LOSSES: Record<string, PairLoss> = {
    // MSE between cos(u, v) and the score
    CosineSimilarityLoss: (b, u, v) => {
      const diff = b.op.Sub(cosine(b, u, v), constant(b, pairs.score));
      return b.op.ReduceMean(b.op.Mul(diff, diff), { keepdims: 0 });
    },
    // mean of 0.5·[y·d² + (1 − y)·relu(0.5 − d)²], d = 1 − cos
    ContrastiveLoss: (b, u, v) => {
      const d = b.op.Sub(1, cosine(b, u, v));
      const y = constant(b, pairs.label);
      const far = b.op.Relu(b.op.Sub(0.5, d));
      return b.op.ReduceMean(b.op.Mul(0.5, b.op.Add(b.op.Mul(y, b.op.Mul(d, d)), b.op.Mul(b.op.Sub(1, y), b.op.Mul(far, far)))), { keepdims: 0 });
    },
  };

  return { feeds, losses, paramMap, pooledPairs, LOSSES };
}
