// A learned pair head (Koch et al. 2015: a logit from two embeddings) as a PairScorer: an ONNX
// session with two float inputs [batch, dim] and one output of one score per pair, higher = same.
import { fail } from '../errors.js';
import { createTensor, type Session } from '../runtime/runtime.js';
import { toEmbeddingMatrix, type EmbeddingRows } from './embedding-matrix.js';
import type { PairScorer } from './score-episodes.js';

export interface PairHeadOptions {
  /** Pairs per session run (default 4096). */
  batchSize?: number;
  /** Names the head in messages (e.g. its file). */
  source?: string;
}

function checkHead(session: Session, dim: number, source: string): void {
  const inputs = session.inputs;
  if (inputs.length !== 2 || inputs.some((v) => v.type !== 'float32')) {
    fail('eval', `pair head ${source}: expected two float32 inputs [batch, dim], got ${inputs.map((v) => `${v.name} ${v.type} [${v.shape?.join(', ') ?? '?'}]`).join(', ')}`);
  }
  for (const v of inputs) {
    const d = v.shape?.[1];
    if (typeof d === 'number' && d > 0 && d !== dim) fail('eval', `pair head ${source}: input "${v.name}" takes ${d}-dimensional embeddings, but the encoder gives ${dim}`);
  }
  if (session.outputs.length === 0) fail('eval', `pair head ${source}: expected an output of scores, got none`);
}

export function pairHeadScorer(session: Session, embeddings: EmbeddingRows, options: PairHeadOptions = {}): PairScorer {
  const { data, dim } = toEmbeddingMatrix(embeddings);
  const batchSize = options.batchSize ?? 4096;
  const source = options.source ?? '(session)';
  checkHead(session, dim, source);
  const [first, second] = session.inputs.map((v) => v.name) as [string, string];
  const output = session.outputs[0]!.name;
  const gather = (indices: Int32Array) => {
    const out = new Float32Array(indices.length * dim);
    indices.forEach((i, k) => out.set(data.subarray(i * dim, (i + 1) * dim), k * dim));
    return createTensor('float32', out, [indices.length, dim]);
  };
  return async (queries, supports) => {
    const scores = new Float32Array(queries.length);
    for (let start = 0; start < queries.length; start += batchSize) {
      const end = Math.min(start + batchSize, queries.length);
      const feeds = { [first]: gather(queries.subarray(start, end)), [second]: gather(supports.subarray(start, end)) };
      const result = (await session.run(feeds, { outputs: [output] }))[output]!;
      if (result.data.length !== end - start) fail('eval', `pair head ${source}: expected one score per pair (${end - start}), got output "${output}" of shape [${result.dims.join(', ')}]`);
      scores.set(result.data as Float32Array, start);
    }
    return scores;
  };
}
