// The longest sequence a text model takes: the rows of its learned position-embedding table (BERT,
// RoBERTa, XLM-R exports), found in the graph as the vocabulary size is, so that texts are cut to
// it before onnxruntime fails on a broadcast deep inside the encoder.
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { Node, Value } from '../graph/value.js';
import type { TensorProto } from '../onnx/proto.js';
import { tensorDims, tensorValues } from '../onnx/tensor-proto.js';

export interface PositionLimit {
  /** Tokens per sequence, special tokens included. */
  tokens: number;
  /** The table's name and rows, for messages. */
  table: string;
  rows: number;
}

/** Ops that pass a table or an index tensor through with its rows unchanged. */
const TABLE_THROUGH = new Set(['Cast', 'DequantizeLinear', 'Identity']);
const INDEX_THROUGH = new Set(['Cast', 'Identity', 'Reshape', 'Unsqueeze', 'Squeeze', 'Flatten']);
/** How far up from a Gather's indices the search for where positions come from looks. */
const ANCESTRY_LIMIT = 64;

function constantTensor(b: GraphBuilder, v: Value | null | undefined): TensorProto | undefined {
  if (!v) return undefined;
  if (v.kind === 'initializer') return b.initializers.get(v.name);
  return v.producer?.opType === 'Constant' ? v.producer.attributes.find((a) => a.name === 'value')?.t ?? undefined : undefined;
}

/** [rows, columns] of a constant table, also through Cast and DequantizeLinear (int8 exports). */
function tableDims(b: GraphBuilder, v: Value | null | undefined): { name: string; dims: number[] } | undefined {
  for (let depth = 0; v && depth < 4; depth++) {
    const tensor = constantTensor(b, v);
    if (tensor) return { name: v.name, dims: tensorDims(tensor) };
    if (!v.producer || !TABLE_THROUGH.has(v.producer.opType)) return undefined;
    v = v.producer.inputs[0];
  }
  return undefined;
}

function scalarOf(b: GraphBuilder, v: Value | null | undefined): number | undefined {
  const tensor = constantTensor(b, v);
  if (!tensor || tensorDims(tensor).reduce((n, d) => n * d, 1) !== 1) return undefined;
  const value = tensorValues(tensor)[0];
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : undefined;
}

/**
 * The length of a position_ids buffer (0, 1, 2, … along its last axis); undefined for any other
 * constant, such as BERT's all-zero token_type_ids buffer, whose 2-row table is no position table.
 */
function arangeLength(tensor: TensorProto | undefined): number | undefined {
  if (!tensor) return undefined;
  const length = tensorDims(tensor).at(-1);
  if (length === undefined || length < 2) return undefined;
  const values = tensorValues(tensor);
  for (let i = 0; i < length; i++) if (Number(values[i]) !== i) return undefined;
  return length;
}

interface Origin {
  /** The position_ids buffer a Slice reads (BERT), in tokens. */
  buffer?: number;
  range: boolean;
  /** RoBERTa's positions: cumsum(ids ≠ padding_idx) + padding_idx; `padding` is that constant. */
  cumsum: boolean;
  padding?: number;
}

/** Where a Gather's indices come from, looking up through at most ANCESTRY_LIMIT values. */
function originOf(b: GraphBuilder, indices: Value): Origin {
  const origin: Origin = { range: false, cumsum: false };
  const seen = new Set<Value>();
  const stack = [indices];
  while (stack.length > 0 && seen.size < ANCESTRY_LIMIT) {
    const v = stack.pop()!;
    if (seen.has(v) || !v.producer) continue;
    seen.add(v);
    const node = v.producer;
    if (node.opType === 'Range') origin.range = true;
    if (node.opType === 'CumSum') origin.cumsum = true;
    if (node.opType === 'Slice' || node.opType === 'Expand') origin.buffer ??= arangeLength(constantTensor(b, node.inputs[0]));
    if (node.opType === 'Equal' || node.opType === 'NotEqual') origin.padding ??= scalarOf(b, node.inputs[1]) ?? scalarOf(b, node.inputs[0]);
    for (const input of node.inputs) if (input) stack.push(input);
  }
  return origin;
}

/** The indices with reshapes and casts peeled off: a graph input there means token ids or token types. */
function rootOf(v: Value): Value {
  while (v.producer && INDEX_THROUGH.has(v.producer.opType) && v.producer.inputs[0]) v = v.producer.inputs[0];
  return v;
}

function limitOf(origin: Origin, rows: number): number | undefined {
  if (origin.cumsum) return origin.padding === undefined ? undefined : rows - origin.padding - 1;
  if (origin.buffer !== undefined) return Math.min(rows, origin.buffer);
  return origin.range ? rows : undefined;
}

/**
 * The position table: a Gather of a constant 2-D table as wide as the token-embedding table (so
 * T5's relative-bias buckets and rotary caches are not taken for it), whose indices are not a graph
 * input but come from a Range, a sliced position_ids buffer (0, 1, 2, …), or RoBERTa's cumulative
 * sum (whose positions start after padding_idx, so the table holds rows − padding_idx − 1 tokens).
 */
export function positionLimit(b: GraphBuilder, wordTable: { node: Node; columns: number } | undefined): PositionLimit | undefined {
  for (const node of b.nodes) {
    if (node.opType !== 'Gather' || node.domain !== '' || node === wordTable?.node || !node.inputs[1]) continue;
    const table = tableDims(b, node.inputs[0]);
    if (!table || table.dims.length !== 2) continue;
    // Without the token table's width to compare with, only a table named for positions is taken.
    if (wordTable ? table.dims[1] !== wordTable.columns : !/position/i.test(table.name)) continue;
    const indices = rootOf(node.inputs[1]);
    if (!indices.producer) continue;
    const tokens = limitOf(originOf(b, indices), table.dims[0]!);
    if (tokens !== undefined && tokens > 0) return { tokens, table: table.name, rows: table.dims[0]! };
  }
  return undefined;
}

/** The Gather reading the token-embedding table with `ids` (directly or through a Cast) and the table's width. */
export function wordTableOf(b: GraphBuilder, ids: string): { node: Node; columns: number } | undefined {
  const sources = new Set([ids]);
  for (const node of b.nodes) {
    const index = node.inputs[node.opType === 'Gather' ? 1 : 0];
    if (!index || !sources.has(index.name)) continue;
    if (node.opType !== 'Gather') {
      if (INDEX_THROUGH.has(node.opType)) sources.add(node.outputs[0]!.name);
      continue;
    }
    const columns = tableDims(b, node.inputs[0])?.dims[1] ?? (typeof node.inputs[0]?.shape?.[1] === 'number' ? node.inputs[0].shape[1] : undefined);
    return columns === undefined ? undefined : { node, columns };
  }
  return undefined;
}
