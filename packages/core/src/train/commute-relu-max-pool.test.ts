import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { pruneDeadNodes } from '../graph/prune-dead-nodes.js';
import { commuteReluMaxPool } from './commute-relu-max-pool.js';

const pool = { kernel_shape: [2, 2], strides: [2, 2] };

describe('commuteReluMaxPool', () => {
  test('Relu → MaxPool becomes MaxPool → Relu, in place, read by what read the pool', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 2, 4, 4]);
    const pooled = b.op.MaxPool(b.op.Relu(b.op.Neg(x)), pool)[0]!;
    b.output(b.op.Flatten(pooled, { axis: 1 }), 'y');
    expect(commuteReluMaxPool(b)).toBe(1);
    pruneDeadNodes(b);
    expect(b.nodes.map((n) => n.opType)).toEqual(['Neg', 'MaxPool', 'Relu', 'Flatten', 'Identity']);
    expect(b.nodes[3]!.inputs[0]!.producer!.opType).toBe('Relu');
  });

  test('a Relu read elsewhere too, a graph-output Relu, and a MaxPool whose Indices are used stay as they are', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 2, 4, 4]);
    const shared = b.op.Relu(x);
    b.output(b.op.Add(b.op.ReduceSum(b.op.MaxPool(shared, pool)[0]!, { keepdims: 0 }), b.op.ReduceSum(shared, { keepdims: 0 })), 'a');
    const exposed = b.op.Relu(b.op.Neg(x));
    b.output(exposed, 'exposed');
    b.output(b.op.MaxPool(exposed, pool)[0]!, 'b');
    const indexed = b.node('MaxPool', [b.op.Relu(b.op.Abs(x))], pool, { outputs: 2 });
    b.output(indexed[1]!, 'indices');
    expect(commuteReluMaxPool(b)).toBe(0);
  });
});
