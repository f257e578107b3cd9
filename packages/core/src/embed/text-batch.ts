// Token rows → padded feeds. Rows are sorted by length into batches so that short texts are not
// padded to the longest one in the call; each batch is padded only to its own longest row.
import { fail } from '../errors.js';
import { createTensor, type Tensor } from '../runtime/runtime.js';
import type { ValueSignature } from '../onnx/model-info.js';
import type { TokenizedText } from '../tokenize/text-tokenizer.js';

/** Indices of `lengths` grouped into batches of at most `batchSize`, longest first. */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

export interface TextFeedSpec {
  ids: ValueSignature;
  mask?: { name: string; type: string };
  tokenTypes?: ValueSignature;
  fixedLength?: number;
  /** The tokenizer's pad id: some exports read ids at padded positions (position ids, sequence ends). */
  padId: number;
  /** The fused model's prompt-length input (include_prompt: false). */
  promptLength?: string;
}

function intTensor(type: string, values: Int32Array, dims: number[]): Tensor {
  return type === 'int32' ? createTensor('int32', values, dims) : createTensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

/** Right-padded ids, mask and token types for the rows `rows`; each row's prompt is `promptTokens` long. */
export function textFeeds(rows: readonly TokenizedText[], spec: TextFeedSpec, promptTokens = 0): Record<string, Tensor> {
  const longest = rows.reduce((m, r) => Math.max(m, r.ids.length), 0);
  if (spec.fixedLength !== undefined && longest > spec.fixedLength) fail('embed', `token ids: the model takes exactly ${spec.fixedLength} tokens per input, got an input of ${longest}`);
  const length = spec.fixedLength ?? longest;
  const n = rows.length;
  const ids = new Int32Array(n * length).fill(spec.padId);
  const mask = new Int32Array(n * length);
  const types = new Int32Array(n * length);
  rows.forEach((row, r) => {
    ids.set(row.ids, r * length);
    mask.fill(1, r * length, r * length + row.ids.length);
    types.set(row.typeIds, r * length);
  });
  const dims = [n, length];
  const feeds: Record<string, Tensor> = { [spec.ids.name]: intTensor(spec.ids.type, ids, dims) };
  if (spec.mask) feeds[spec.mask.name] = intTensor(spec.mask.type, mask, dims);
  if (spec.tokenTypes) feeds[spec.tokenTypes.name] = intTensor(spec.tokenTypes.type, types, dims);
  if (spec.promptLength) feeds[spec.promptLength] = createTensor('int64', new BigInt64Array(n).fill(BigInt(promptTokens)), [n]);
  return feeds;
}
