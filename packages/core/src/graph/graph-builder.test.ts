import { describe, expect, test } from 'vitest';
import { onnx } from '../onnx/proto.js';
import { attr } from './attributes.js';
import { GraphBuilder } from './graph-builder.js';
import { linear, layerNorm } from './layers.js';

const A = onnx.AttributeProto.AttributeType;

describe('GraphBuilder', () => {
  test('values are handles, names are unique and parameters follow the module path', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4]);
    const h = b.scope('encoder', () => b.scope('layer.0', () => b.scope('dense', () =>
      linear(b, x, { weight: new Float32Array(12), bias: new Float32Array(3), inFeatures: 4, outFeatures: 3 }))));
    const y = b.op.Relu(b.op.Relu(h));
    b.output(y, 'embedding');
    expect([...b.initializers.keys()]).toEqual(['encoder.layer.0.dense.weight', 'encoder.layer.0.dense.bias']);
    const names = b.nodes.flatMap((n) => n.outputs.map((v) => v.name));
    expect(new Set(names).size).toBe(names.length);
    expect(b.nodes.map((n) => n.name)).toEqual([
      'encoder.layer.0.dense/Transpose', 'encoder.layer.0.dense/MatMul', 'encoder.layer.0.dense/Add', 'Relu', 'Relu_1', 'Identity',
    ]);
    expect(b.outputs.map((v) => [v.name, v.type])).toEqual([['embedding', 'float32']]);
  });

  test('a parameter name cannot be taken twice', () => {
    const b = new GraphBuilder();
    b.param('w', new Float32Array(1), [1]);
    expect(() => b.param('w', new Float32Array(1), [1])).toThrow(/initializer "w": the name is already used/);
  });

  test('attribute types come from the op, not from the JS number', () => {
    const b = new GraphBuilder();
    const a = b.input('a', 'float32', [2, 2]);
    b.op.Gemm(a, a, { alpha: 1, beta: 2, transB: 1 });
    const attrs = Object.fromEntries(b.nodes[0]!.attributes.map((p) => [p.name, p]));
    expect(attrs.alpha).toMatchObject({ type: A.FLOAT, f: 1 });
    expect(attrs.beta).toMatchObject({ type: A.FLOAT, f: 2 });
    expect(attrs.transB).toMatchObject({ type: A.INT, i: 1 });
  });

  test('wrong attribute names, types and values fail with what was expected', () => {
    const b = new GraphBuilder();
    const a = b.input('a', 'float32', [2, 2]);
    expect(() => b.op.Gemm(a, a, { transB: 0.5 })).toThrow(/attribute "transB": expected an integer, got 0.5/);
    expect(() => b.op.Softmax(a, { axes: [1] } as never)).toThrow(/Softmax at opset 17, attribute "axes": unknown attribute, expected one of axis/);
    expect(() => b.op.Cast(a, { to: 'float99' as never })).toThrow(/expected an element type name/);
    expect(() => b.node('Gelu', [a], { approximate: 'tanh' })).toThrow(/has no schema in twinembed.*attr\.int/);
  });

  test('ops outside the schema table take explicitly typed attributes', () => {
    const b = new GraphBuilder();
    const a = b.input('a', 'float32', [2]);
    const [y] = b.node('FastGelu', [a], { alpha: attr.float(1) }, { domain: 'com.example' });
    b.output(y!);
    const model = b.toModel();
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }, { domain: 'com.example', version: 1 }]);
    expect(model.graph!.node![0]).toMatchObject({ opType: 'FastGelu', domain: 'com.example', attribute: [{ name: 'alpha', type: A.FLOAT, f: 1 }] });
  });

  test('element types propagate by each op\'s rule', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    expect(b.op.Shape(x).type).toBe('int64');
    expect(b.op.Less(x, x).type).toBe('bool');
    expect(b.op.Cast(x, { to: 'int32' }).type).toBe('int32');
    expect(b.op.Where(b.op.Less(x, x), x, x).type).toBe('float32');
    const [values, indices] = b.op.TopK(x, { k: [1], axis: 1 });
    expect([values!.type, indices!.type]).toEqual(['float32', 'int64']);
    expect(b.op.ConstantOfShape(b.int64s([2]), { value: { type: 'int64', dims: [1], data: new BigInt64Array(1) } }).type).toBe('int64');
  });

  test('numbers as inputs become scalars of the other input\'s type, shared when equal', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float64', [2]);
    b.op.Mul(b.op.Add(x, 0.5), 0.5);
    const constants = b.nodes.filter((n) => n.opType === 'Constant');
    expect(constants).toHaveLength(1);
    expect(constants[0]!.outputs[0]!.type).toBe('float64');
  });

  test('values cannot cross builders', () => {
    const [b1, b2] = [new GraphBuilder(), new GraphBuilder()];
    const x = b1.input('x', 'float32', [1]);
    expect(() => b2.op.Relu(x)).toThrow(/belongs to another graph builder/);
  });
});

describe('opset rules', () => {
  function axesForm(opset: number, emit: (b: GraphBuilder, x: ReturnType<GraphBuilder['input']>) => unknown) {
    const b = new GraphBuilder({ opset });
    emit(b, b.input('x', 'float32', [2, 3]));
    const node = b.nodes.at(-1)!;
    return { inputs: node.inputs.length, attributes: node.attributes.map((a) => a.name) };
  }

  test.each([
    ['ReduceMean', 17, { inputs: 1, attributes: ['axes', 'keepdims'] }],
    ['ReduceMean', 18, { inputs: 2, attributes: ['keepdims'] }],
    ['ReduceSum', 11, { inputs: 1, attributes: ['axes', 'keepdims'] }],
    ['ReduceSum', 13, { inputs: 2, attributes: ['keepdims'] }],
  ] as const)('%s axes at opset %i', (op, opset, form) => {
    expect(axesForm(opset, (b, x) => b.op[op](x, { axes: [1], keepdims: 1 }))).toEqual(form);
  });

  test.each([[10, 1, ['axes']], [13, 2, []]] as const)('Unsqueeze at opset %i', (opset, inputs, attributes) => {
    expect(axesForm(opset, (b, x) => b.op.Unsqueeze(x, { axes: [0] }))).toEqual({ inputs, attributes });
  });

  test('Slice, Clip and TopK move from attributes to inputs', () => {
    expect(axesForm(9, (b, x) => b.op.Slice(x, { starts: [0], ends: [1], axes: [1] }))).toEqual({ inputs: 1, attributes: ['starts', 'ends', 'axes'] });
    expect(axesForm(10, (b, x) => b.op.Slice(x, { starts: [0], ends: [1], axes: [1], steps: [1] }))).toEqual({ inputs: 5, attributes: [] });
    expect(axesForm(10, (b, x) => b.op.Clip(x, { min: 0, max: 6 }))).toEqual({ inputs: 1, attributes: ['min', 'max'] });
    expect(axesForm(11, (b, x) => b.op.Clip(x, { max: 6 }))).toEqual({ inputs: 3, attributes: [] });
    expect(axesForm(9, (b, x) => b.op.TopK(x, { k: 2 }))).toEqual({ inputs: 1, attributes: ['k'] });
    expect(axesForm(10, (b, x) => b.op.TopK(x, { k: 2 }))).toEqual({ inputs: 2, attributes: [] });
  });

  test('Clip without min keeps the omitted input as an empty name', () => {
    const b = new GraphBuilder({ opset: 13 });
    b.op.Clip(b.input('x', 'float32', [1]), { max: 6 });
    const clip = b.toModel().graph!.node!.at(-1)!;
    expect(clip.input).toEqual(['x', '', 'const']);
  });

  test('ops and forms a model\'s opset does not have fail clearly', () => {
    const old = new GraphBuilder({ opset: 10 });
    const x = old.input('x', 'float32', [2, 3]);
    expect(() => old.op.LayerNormalization(x, x, x)).toThrow(/LayerNormalization cannot be emitted at opset 10: .* needs opset ≥ 17/);
    expect(() => old.op.Softmax(x, { axis: 0 })).toThrow(/before opset 13 only axis -1/);
    expect(() => old.op.Unsqueeze(x, { axes: old.int64s([0]) })).toThrow(/tensor-valued axes needs opset ≥ 13/);
    const older = new GraphBuilder({ opset: 9 });
    expect(() => older.op.Slice(older.input('x', 'float32', [2]), { starts: [0], ends: [1], steps: [1] }))
      .toThrow(/Slice at opset 9, attribute "steps": needs opset ≥ 10/);
  });

  test('layerNorm decomposes below opset 17 and is one node from 17 on', () => {
    const opts = { weight: new Float32Array([1, 1]), bias: new Float32Array(2) };
    const at = (opset: number) => {
      const b = new GraphBuilder({ opset });
      layerNorm(b, b.input('x', 'float32', [1, 2]), opts);
      return b.nodes.filter((n) => n.opType !== 'Constant').map((n) => n.opType);
    };
    expect(at(17)).toEqual(['LayerNormalization']);
    expect(at(11)).toEqual(['ReduceMean', 'Sub', 'Mul', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add']);
  });
});

describe('dump', () => {
  test('one line per node', () => {
    const b = new GraphBuilder({ name: 'tiny' });
    const x = b.input('x', 'float32', ['batch', 4]);
    const w = b.param('w', new Float32Array(8), [4, 2]);
    const [values] = b.op.TopK(b.op.MatMul(x, w), { k: [1], axis: -1 });
    b.output(b.op.Softmax(values!, { axis: -1 }), 'y');
    expect(b.dump()).toBe([
      'graph "tiny" opset 17: 1 inputs, 1 initializers, 5 nodes, 1 outputs',
      'input  %x: float32[batch,4]',
      'init   %w: float32[4,2]',
      '%MatMul = MatMul(%x, %w)',
      '%const = Constant() {value=int64[1](1)}',
      '%TopK, %TopK_1 = TopK(%MatMul, %const) {axis=-1}',
      '%Softmax = Softmax(%TopK) {axis=-1}',
      '%y = Identity(%Softmax)',
      'output %y: float32',
      '',
    ].join('\n'));
  });
});
