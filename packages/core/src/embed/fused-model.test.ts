import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { buildFusedModel } from './fused-model.js';
import type { EmbedSpec } from './model-spec.js';

function encoder(opset: number) {
  const b = new GraphBuilder({ opset });
  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  b.input('attention_mask', 'int64', ['batch', 'sequence']);
  b.output(b.op.Unsqueeze(b.op.Cast(ids, { to: 'float32' }), { axes: [2] }), 'last_hidden_state');
  return b.toModel();
}

const spec = (includePrompt: boolean, pooling: 'mean' | 'cls') => ({
  modality: 'text', ids: { name: 'input_ids', type: 'int64', shape: null }, mask: { name: 'attention_mask', type: 'int64', shape: null },
  output: 'last_hidden_state', pooling, normalize: true, includePrompt,
}) as EmbedSpec;

describe('the fused model\'s prompt-length input (include_prompt: false)', () => {
  test('added for mean pooling, not for CLS or when prompts are pooled', () => {
    const inputs = (s: EmbedSpec) => buildFusedModel(encoder(17), s).model.graph!.input!.map((v) => v.name);
    expect(inputs(spec(false, 'mean'))).toEqual(['input_ids', 'attention_mask', 'prompt_length']);
    expect(inputs(spec(false, 'cls'))).toEqual(['input_ids', 'attention_mask']);
    expect(inputs(spec(true, 'mean'))).toEqual(['input_ids', 'attention_mask']);
  });

  test('a model older than opset 11 (no CumSum) is refused with the reason', () => {
    expect(() => buildFusedModel(encoder(10), spec(false, 'mean')))
      .toThrow('[twinembed:embed] include_prompt: false (sentence-transformers\' Pooling config) with mean pooling: expected a model of opset 11 or later, got opset 10');
  });
});
