// Parameter discovery on small graphs: what counts as a parameter, selection, Constant promotion and untying.
import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { discoverParameters } from './parameters.js';

/** x·W + W·… : one initializer read by two nodes, as exporters merge equal tensors; plus a literal and a Constant weight. */
function merged() {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2]);
  const w = b.initializer('shared', Float32Array.of(1, 2), [2]);
  const half = b.initializer('half', Float32Array.of(0.5), []);
  b.initializer('bias1', Float32Array.of(0.1), [1]); // a Linear(n, 1) bias: a parameter
  const c = b.constant({ type: 'float32', dims: [2], data: Float32Array.of(3, 4) });
  const y = b.op.Mul(b.op.Add(b.op.Mul(x, w), w), b.op.Add(half, b.value('bias1')));
  const z = b.op.Mul(b.op.Identity(w), c);
  return { b, x, w, y: b.op.Add(y, z) };
}

describe('discoverParameters', () => {
  test('float initializers with a dimension and Constants of two or more elements; literals left out', () => {
    const { b } = merged();
    const params = discoverParameters(b, { tied: 'keep' });
    expect([...params.keys()].sort()).toEqual(['bias1', 'const', 'shared']);
    expect(params.get('const')!.source).toBe('constant');
    expect(params.get('const')!.value.kind).toBe('initializer');
    expect(discoverParameters(merged().b, { tied: 'keep', includeScalars: true }).has('half')).toBe(true);
  });

  test('each reader of a merged tensor gets its own copy, named after an Identity alias where there is one', () => {
    const { b, w } = merged();
    const params = discoverParameters(b, { trainable: ['shared'] });
    const names = [...params.keys()];
    expect(names).toHaveLength(3); // Mul, Add, and the Identity alias
    expect(names[0]).toBe('shared');
    const readers = b.nodes.filter((n) => n.inputs.some((v) => v !== null && [...params.values()].some((p) => p.value === v)));
    expect(new Set(readers.flatMap((n) => n.inputs.filter((v) => v !== null && v.kind === 'initializer'))).size).toBe(3);
    expect(params.get('shared')!.value).toBe(w);
    const alias = b.nodes.find((n) => n.opType === 'Identity')!.outputs[0]!.name;
    expect(params.get(alias)!.value.name).toBe(`${alias}.untied`);
  });

  test('selection: none, a pattern, names', () => {
    expect(discoverParameters(merged().b, { trainable: 'none' }).size).toBe(0);
    expect([...discoverParameters(merged().b, { trainable: /^con/, tied: 'keep' }).keys()]).toEqual(['const']);
    expect(() => discoverParameters(merged().b, { tied: 'both' as never })).toThrow("expected 'untie' or 'keep'");
  });
});
