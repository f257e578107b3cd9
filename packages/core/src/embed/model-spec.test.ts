import { describe, expect, test } from 'vitest';
import type { ModelInfo, ValueSignature } from '../onnx/model-info.js';
import { resolveSpec } from './model-spec.js';

const sig = (name: string, type: string, shape: ValueSignature['shape']): ValueSignature => ({ name, type, shape });
const info = (inputs: ValueSignature[], outputs: ValueSignature[]): ModelInfo => ({ inputs, outputs, opset: 17, ops: {}, parameters: 0 });
const bertInputs = ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => sig(n, 'int64', ['batch', 'sequence']));

describe('resolveSpec with no manifest', () => {
  test('a BERT-like export: mean pooling of last_hidden_state, normalized, the tokenizer\'s max length', () => {
    const spec = resolveSpec(info(bertInputs, [sig('last_hidden_state', 'float32', ['batch', 'sequence', 64])]), {}, {}, 64);
    expect(spec).toMatchObject({ modality: 'text', output: 'last_hidden_state', pooling: 'mean', normalize: true, maxLength: 64 });
    expect(spec.modality === 'text' && [spec.ids.name, spec.mask?.name, spec.tokenTypes?.name]).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
  });

  test('a pooled sentence_embedding output is used as it is; sentence-transformers hints do not re-pool it', () => {
    const spec = resolveSpec(info(bertInputs, [sig('token_embeddings', 'float32', ['b', 's', 8]), sig('sentence_embedding', 'float32', ['b', 8])]), {}, { pooling: 'cls', normalize: false }, undefined);
    expect(spec).toMatchObject({ output: 'sentence_embedding', pooling: 'none', normalize: false });
  });

  test('one float NCHW input is an image model; size from its shape', () => {
    const spec = resolveSpec(info([sig('image', 'float32', ['batch', 1, 28, 28])], [sig('embedding', 'float32', ['batch', 32])]), {}, {}, undefined);
    expect(spec).toMatchObject({ modality: 'image', output: 'embedding', pooling: 'none', image: { channels: 1, height: 28, width: 28, layout: 'nchw', resize: 'area' } });
    expect(spec.modality === 'image' && 'ink' in spec.image).toBe(false); // no default polarity: nothing can tell it
    const stated = resolveSpec(info([sig('image', 'float32', ['batch', 1, 28, 28])], [sig('embedding', 'float32', ['batch', 32])]), { image: { ink: 'light', resize: 'bilinear' } }, {}, undefined);
    expect(stated).toMatchObject({ image: { ink: 'light', resize: 'bilinear' } });
  });

  test('a model that is neither says what to write in the manifest', () => {
    expect(() => resolveSpec(info([sig('x', 'float32', [1, 10])], [sig('y', 'float32', [1, 2])]), {}, {}, undefined))
      .toThrow(/^\[twinembed:embed\] cannot tell what this model embeds: .*got x float32 \[1, 10\] \(state it in twinembed.json/);
  });
});
