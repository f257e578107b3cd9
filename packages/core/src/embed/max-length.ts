// How many tokens a text keeps. sentence-transformers truncates to max_seq_length (from
// sentence_bert_config.json, else the tokenizer's model_max_length capped by the model's
// max_position_embeddings); here the cap is what the graph holds: its position table's rows, or a
// fixed sequence length. A length asked for explicitly that the model cannot take is refused.
import { fail } from '../errors.js';
import type { PositionLimit } from './position-limit.js';

export interface LengthSources {
  /** Asked for explicitly: the embedder's maxLength option (--max-length), or twinembed.json maxLength. */
  requested?: { tokens: number; what: string };
  /** Stated by the model's configs: max_seq_length, model_max_length, tokenizer.json truncation. */
  configured?: number;
  /** What the graph holds. */
  positions?: PositionLimit;
  fixedLength?: number;
}

/** The model's own limit and why, for messages; undefined when the graph states none. */
function modelLimit(s: LengthSources): { tokens: number; why: string } | undefined {
  const byTable = s.positions && { tokens: s.positions.tokens, why: `its position-embedding table "${s.positions.table}" has ${s.positions.rows} rows` };
  const byShape = s.fixedLength === undefined ? undefined : { tokens: s.fixedLength, why: `its input takes exactly ${s.fixedLength} tokens` };
  if (byTable && byShape) return byTable.tokens <= byShape.tokens ? byTable : byShape;
  return byTable ?? byShape;
}

/** The longest sequence kept, special tokens included; undefined only when nothing states a limit. */
export function resolveMaxLength(s: LengthSources): number | undefined {
  const limit = modelLimit(s);
  if (s.requested) {
    const { tokens, what } = s.requested;
    if (!Number.isInteger(tokens) || tokens < 1) fail('embed', `${what}: expected a positive integer, got ${tokens}`);
    if (limit && tokens > limit.tokens) fail('embed', `${what}: expected at most ${limit.tokens} tokens, the longest sequence the model takes (${limit.why}), got ${tokens}`);
    return tokens;
  }
  if (s.configured === undefined) return limit?.tokens;
  return limit ? Math.min(s.configured, limit.tokens) : s.configured;
}
