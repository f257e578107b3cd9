// The project's own image encoders by the names the CLI and the trainer use.
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { conv4Encoder } from './conv4-encoder.js';
import { kochEncoder } from './koch-encoder.js';

export const ENCODERS = ['koch', 'conv4'] as const;
export type EncoderName = (typeof ENCODERS)[number];

export interface EncoderBuildOptions {
  /** Square input side in pixels. */
  size: number;
  seed: number;
}

/** A fresh, seeded encoder graph: input `pixels` [batch, 1, size, size], output `embedding`. */
export function buildEncoder(name: string, options: EncoderBuildOptions): GraphBuilder {
  switch (name) {
    case 'koch': return kochEncoder(options);
    case 'conv4': return conv4Encoder(options);
    default: return fail('encoders', `encoder: expected one of ${ENCODERS.join(', ')}, got "${name}"`);
  }
}
