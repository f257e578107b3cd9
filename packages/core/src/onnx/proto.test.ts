import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { decodeModel, encodeModel, onnxOpset } from './proto.js';

function tinyModelBytes(): Uint8Array {
  const b = new GraphBuilder();
  b.output(b.op.Relu(b.input('x', 'float32', [2])));
  return encodeModel(b.toModel());
}

describe('decodeModel', () => {
  test('reads what encodeModel wrote', () => {
    const model = decodeModel(tinyModelBytes());
    expect(onnxOpset(model)).toBe(17);
    expect(model.graph!.node!.map((n) => n.opType)).toEqual(['Relu']);
  });

  test('an empty file', () => {
    expect(() => decodeModel(new Uint8Array(0), '"empty.onnx"')).toThrow(/cannot read "empty.onnx": expected an ONNX model, got an empty file/);
  });

  test('garbage bytes', () => {
    const text = new TextEncoder().encode('{"name": "not a model", "version": 3}\n'.repeat(4));
    expect(() => decodeModel(text)).toThrow(/\[twinembed:onnx\] cannot read model: expected an ONNX ModelProto/);
  });

  test('every truncation of a valid model is refused, never half-read', () => {
    const bytes = tinyModelBytes();
    for (let length = 1; length < bytes.length; length++) {
      expect(() => decodeModel(bytes.subarray(0, length)), `truncated to ${length} bytes`).toThrow(/\[twinembed:onnx\]/);
    }
  });
});
