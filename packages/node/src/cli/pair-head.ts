// A model directory's pair head (head.onnx, written by `twinembed train --loss KochBCE`) as a scorer
// of embedding pairs, for `eval oneshot`, `eval oneshot --runs` and `eval verification --head`.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pairHeadScorer, type EmbeddingRows, type PairScorer, type Runtime } from '@twinembed/core';

/** The pair head of a model directory: two [batch, dim] float inputs → one score per pair, higher = same. */
export const HEAD_FILE = 'head.onnx';

export async function openPairHead(model: string, embeddings: EmbeddingRows, runtime: Runtime): Promise<{ scorer: PairScorer; release(): Promise<void> }> {
  const path = join(model, HEAD_FILE);
  if (!(await stat(path).catch(() => undefined))?.isFile()) {
    fail('cli', `--head: expected ${HEAD_FILE} in "${model}" (a pair head: two [batch, dim] float inputs → one score per pair), got none`);
  }
  const session = await runtime.createSession(path);
  return { scorer: pairHeadScorer(session, embeddings, { source: `"${path}"` }), release: () => session.release() };
}
