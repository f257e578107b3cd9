import { describe, expect, test } from 'vitest';
import { onnx } from '../onnx/proto.js';
import { GraphBuilder } from './graph-builder.js';
import { pruneDeadNodes } from './prune-dead-nodes.js';

describe('pruneDeadNodes', () => {
  test('drops exactly the nodes no output depends on, and their value_info', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    const used = b.op.Relu(x);
    const pooler = b.op.Tanh(b.op.MatMul(x, b.param('pooler.weight', new Float32Array(9), [3, 3])));
    b.output(b.op.Exp(used), 'y');
    b.envelope = { model: {}, opsetImports: [], sparseInitializers: [], valueInfo: [{ name: pooler.name }, { name: used.name }] };
    expect(pruneDeadNodes(b)).toBe(2);
    expect(b.nodes.map((n) => n.opType)).toEqual(['Relu', 'Exp', 'Identity']);
    expect(b.envelope.valueInfo.map((v) => v.name)).toEqual([used.name]);
    expect(pruneDeadNodes(b)).toBe(0);
  });

  test('keeps what a subgraph reads from the outer scope, and every node before `from`', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const outer = b.op.Neg(x);
    const body = { name: 'then', node: [{ opType: 'Identity', input: [outer.name], output: ['t'] }], output: [{ name: 't' }] };
    const cond = b.input('cond', 'bool', []);
    const branches = ['then_branch', 'else_branch'].map((name) => ({ name, type: onnx.AttributeProto.AttributeType.GRAPH, g: body }));
    const branch = b.appendNode({ opType: 'If', domain: '', inputs: [cond], attributes: branches, outputTypes: ['float32'] })[0]!;
    const early = b.op.Abs(x);
    b.output(branch, 'y');
    const from = b.nodes.length;
    b.op.Sin(x);
    expect(pruneDeadNodes(b, b.outputs, from)).toBe(1);
    expect(b.nodes.map((n) => n.opType)).toEqual(['Neg', 'If', 'Abs', 'Identity']);
    expect(early.producer?.opType).toBe('Abs');
  });

  test('follows producers, not list order: a node appended after its consumer stays', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const relu = b.op.Relu(x);
    b.output(relu, 'y');
    const late = b.op.Neg(x);
    (relu.producer!.inputs as unknown as typeof x[]).splice(0, 1, late); // rewired as mergeBranches does
    expect(pruneDeadNodes(b)).toBe(0);
    expect(b.nodes.map((n) => n.opType)).toEqual(['Relu', 'Identity', 'Neg']);
  });

  test('a shared constant that went with a dead node is made again when asked for', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const deadConstant = b.int64s([3]); // a cached Constant node nothing reads
    b.output(b.op.Relu(x), 'y');
    pruneDeadNodes(b);
    expect(b.nodes.some((n) => n.outputs.includes(deadConstant))).toBe(false);
    const again = b.int64s([3]);
    expect(again).not.toBe(deadConstant);
    expect(b.nodes.some((n) => n.outputs.includes(again))).toBe(true);
  });
});
