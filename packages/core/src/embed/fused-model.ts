// The encoder with pooling and normalization appended, pruned to what the embedding needs:
// one ONNX model, one session, finished embeddings. It is also what `twinembed export` writes.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { importModel } from '../graph/import-model.js';
import type { Node, Value } from '../graph/value.js';
import type { ModelProto } from '../onnx/proto.js';
import { embeddingRows } from './embedding-rows.js';
import type { EmbedSpec } from './model-spec.js';
import { l2Normalize, poolEmbedding, PROMPT_AWARE_POOLINGS } from './pooling.js';
import { positionLimit, wordTableOf, type PositionLimit } from './position-limit.js';

export interface FusedModel {
  model: ModelProto;
  /** The output holding [batch, dim] embeddings. */
  output: string;
  /** The input that takes the attention mask (added to the graph when the encoder had none). */
  mask?: string;
  /** Rows of the token-embedding table, when found: every token id must be below it. */
  vocabRows?: number;
  /** The position-embedding table, when found: no sequence may be longer than it holds. */
  positions?: PositionLimit;
  /** The [batch] int64 input taking each row's prompt length in tokens, when the pooling leaves prompts out. */
  promptLength?: string;
}

function freshName(b: GraphBuilder, base: string): string {
  let name = base;
  for (let i = 1; b.hasValue(name); i++) name = `${base}_${i}`;
  return name;
}

function maskValue(b: GraphBuilder, spec: EmbedSpec): Value | undefined {
  if (spec.modality !== 'text' || spec.pooling === 'none') return undefined;
  if (spec.mask) return b.value(spec.mask.name);
  return b.input(freshName(b, 'attention_mask'), 'int64', ['batch', 'sequence']);
}

/** include_prompt: false needs the prompt's length per row, as an extra input (CumSum needs opset 11). */
function promptLengthValue(b: GraphBuilder, spec: EmbedSpec): Value | undefined {
  if (spec.modality !== 'text' || spec.includePrompt !== false || !PROMPT_AWARE_POOLINGS.includes(spec.pooling)) return undefined;
  if (b.opset < 11) fail('embed', `include_prompt: false (sentence-transformers' Pooling config) with ${spec.pooling} pooling: expected a model of opset 11 or later, got opset ${b.opset}`);
  return b.input(freshName(b, 'prompt_length'), 'int64', ['batch']);
}

function hasSubgraphs(b: GraphBuilder): boolean {
  return b.nodes.some((n) => n.attributes.some((a) => a.g || (a.graphs?.length ?? 0) > 0));
}

/** Drops nodes, inputs and initializers the output does not depend on (classifier heads, ZipMap, …). */
function prune(b: GraphBuilder, output: Value): void {
  // Subgraphs read outer names without listing them as inputs: keep such graphs whole.
  if (hasSubgraphs(b)) return;
  const used = new Set<Value>();
  const needed = new Set<Node>();
  const stack = [output];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (used.has(v)) continue;
    used.add(v);
    if (v.producer && !needed.has(v.producer)) {
      needed.add(v.producer);
      for (const input of v.producer.inputs) if (input) stack.push(input);
    }
  }
  const keepNodes = b.nodes.filter((n) => needed.has(n));
  b.nodes.length = 0;
  for (const n of keepNodes) b.nodes.push(n);
  const keepInputs = b.inputs.filter((v) => used.has(v));
  b.inputs.length = 0;
  for (const v of keepInputs) b.inputs.push(v);
  const usedNames = new Set([...used].map((v) => v.name));
  for (const n of keepNodes) for (const v of n.outputs) usedNames.add(v.name);
  for (const name of [...b.initializers.keys()]) if (!usedNames.has(name)) b.initializers.delete(name);
  if (b.envelope) b.envelope.valueInfo = b.envelope.valueInfo.filter((info) => usedNames.has(info.name ?? ''));
}

export function buildFusedModel(encoder: ModelProto, spec: EmbedSpec): FusedModel {
  const b = importModel(encoder);
  if (!b.hasValue(spec.output)) {
    fail('embed', `no tensor named "${spec.output}" in the model: expected a graph output (${b.outputs.map((v) => v.name).join(', ')}) or an intermediate tensor name (twinembed info lists the outputs)`);
  }
  const vocabRows = spec.modality === 'text' ? embeddingRows(b, spec.ids.name) : undefined;
  const positions = spec.modality === 'text' ? positionLimit(b, wordTableOf(b, spec.ids.name)) : undefined;
  const mask = maskValue(b, spec);
  const promptLength = promptLengthValue(b, spec);
  let embedding = poolEmbedding(b, b.value(spec.output), spec.pooling, mask, promptLength);
  if (spec.normalize) embedding = l2Normalize(b, embedding);
  b.outputs.splice(0, b.outputs.length);
  const out = embedding.name === spec.output ? b.output(embedding) : b.output(embedding, freshName(b, 'embedding'));
  prune(b, out);
  if (mask && !b.inputs.includes(mask)) b.inputs.push(mask);
  return { model: b.toModel(), output: out.name, mask: mask?.name, vocabRows, positions, promptLength: promptLength?.name };
}
