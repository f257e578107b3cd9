// Folding DequantizeLinear of initializers: values worked out by hand from (q − zero point) · scale,
// per axis and per tensor; the folded tensor takes the node's output name; computed inputs stay as they are.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { int8Weight, quantizeInt8 } from '../graph/int8-weights.js';
import { foldDequantizeLinear } from './fold-dequantize-linear.js';
import { makeTensorProto, tensorValues } from './tensor-proto.js';

describe('quantizeInt8', () => {
  it('scales each channel by max |w| / 127 and rounds', () => {
    // dims [2, 3], axis 1: channels are columns {1, -4}, {0.5, 2}, {0, 0}
    const { q, scale } = quantizeInt8(Float32Array.from([1, 0.5, 0, -4, 2, 0]), [2, 3], 1);
    expect(scale).toEqual(Float32Array.from([4 / 127, 2 / 127, 1]));
    expect(q).toEqual(Int8Array.from([Math.round(127 / 4), Math.round(127 / 4), 0, -127, 127, 0]));
  });
});

describe('foldDequantizeLinear', () => {
  it('turns int8Weight back into a float32 initializer named as the weight, dropping the int8 tensors', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 2]);
    const w = Float32Array.from([1, 0.5, -4, 2]);
    b.output(b.op.MatMul(x, int8Weight(b, 'dense.kernel', w, [2, 2], 1)), 'y');
    const folded = foldDequantizeLinear(b.toModel());
    expect(folded.graph!.node!.map((n) => n.opType)).toEqual(['MatMul', 'Identity']); // Identity: the output renamed to y
    expect(folded.graph!.initializer!.map((t) => t.name)).toEqual(['dense.kernel']);
    const s = [4 / 127, 2 / 127].map(Math.fround);
    const expected = Float32Array.from([32 * s[0]!, 32 * s[1]!, -127 * s[0]!, 127 * s[1]!]); // q = round(127/4 · 1) = 32, round(127/2 · 0.5) = 32
    expect(tensorValues(folded.graph!.initializer![0]!)).toEqual(expected);
  });

  it('folds per-tensor scales with a zero point, and leaves a node with a computed input alone', () => {
    const model = {
      graph: {
        node: [
          { opType: 'DequantizeLinear', input: ['q', 's', 'z'], output: ['w'], name: 'dq' },
          { opType: 'DequantizeLinear', input: ['x', 's'], output: ['y'], name: 'live' },
        ],
        initializer: [
          makeTensorProto('q', 'uint8', [3], Uint8Array.from([0, 128, 255])),
          makeTensorProto('s', 'float32', [], Float32Array.from([0.5])),
          makeTensorProto('z', 'uint8', [], Uint8Array.from([128])),
        ],
        input: [{ name: 'x' }],
        output: [{ name: 'w' }, { name: 'y' }],
      },
    };
    const folded = foldDequantizeLinear(model);
    expect(folded.graph!.node!.map((n) => n.name)).toEqual(['live']);
    expect(folded.graph!.initializer!.map((t) => t.name)).toEqual(['s', 'w']); // s is still read by "live"
    expect(tensorValues(folded.graph!.initializer![1]!)).toEqual(Float32Array.from([-64, 0, 63.5]));
    expect(model.graph.node).toHaveLength(2); // the input model is not changed
  });

  it('refuses blocked quantization it cannot fold', () => {
    const model = {
      graph: {
        node: [{ opType: 'DequantizeLinear', input: ['q', 's'], output: ['w'], name: 'dq', attribute: [{ name: 'block_size', type: 2, i: 2 }] }],
        initializer: [makeTensorProto('q', 'int8', [4], Int8Array.from([1, 2, 3, 4])), makeTensorProto('s', 'float32', [2], Float32Array.from([1, 2]))],
      },
    };
    expect(() => foldDequantizeLinear(model)).toThrow(/blocked quantization \(block_size 2\) cannot be folded/);
  });
});
