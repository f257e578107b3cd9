import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { decodeModel } from '../onnx/proto.js';
import { createAdamW } from '../optimizers/adam.js';
import { createSgd } from '../optimizers/sgd.js';
import { buildTrainStep } from './build-train-step.js';

/** A one-layer "encoder": x [batch, 4] · W [4, 3] → embedding. */
function linearEncoder(): GraphBuilder {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 4]);
  b.output(b.op.MatMul(x, b.param('proj.weight', Float32Array.from({ length: 12 }, (_, i) => i / 12), [4, 3])), 'embedding');
  return b;
}

/** A token "encoder": embedding lookup of input_ids, read with its attention mask. */
function tokenEncoder(): GraphBuilder {
  const b = new GraphBuilder();
  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  b.input('attention_mask', 'int64', ['batch', 'sequence']);
  b.output(b.op.Gather(b.param('word.weight', new Float32Array(10 * 3).fill(0.5), [10, 3]), ids, { axis: 0 }), 'last_hidden_state');
  return b;
}

describe('buildTrainStep', () => {
  test('parameters, optimizer state and scalars are inputs; the encoder runs once over every role', () => {
    const step = buildTrainStep({ encoder: linearEncoder(), loss: 'TripletLoss', optimizer: createAdamW() });
    const graph = decodeModel(step.model).graph!;
    expect(graph.input!.map((v) => v.name).sort()).toEqual([
      'anchor.x', 'negative.x', 'optimizer.bias_correction2_sqrt', 'optimizer.decay', 'optimizer.step_size', 'positive.x',
      'proj.weight', 'proj.weight.exp_avg', 'proj.weight.exp_avg_sq',
    ]);
    expect(graph.initializer!.map((t) => t.name)).not.toContain('proj.weight');
    expect(graph.output!.map((v) => v.name)).toEqual(['loss', 'updated.proj.weight', 'updated.proj.weight.exp_avg', 'updated.proj.weight.exp_avg_sq']);
    expect(graph.node!.filter((n) => n.opType === 'MatMul' && n.input!.includes('proj.weight'))).toHaveLength(1);
    expect(step.roles).toEqual(['anchor', 'positive', 'negative']);
    expect(step.initialParams['proj.weight']!.dims).toEqual([4, 3]);
  });

  test('token inputs are padded to the longest role before one concatenation; labels are declared per loss kind', () => {
    const step = buildTrainStep({ encoder: tokenEncoder(), loss: 'ContrastiveLoss', optimizer: createSgd(), pooling: 'mean' });
    const graph = decodeModel(step.model).graph!;
    expect(graph.node!.filter((n) => n.opType === 'Pad')).toHaveLength(4);
    expect(step.branchInputs.map((i) => i.name)).toEqual(['anchor.input_ids', 'other.input_ids', 'anchor.attention_mask', 'other.attention_mask']);
    expect(step.labels).toEqual({ name: 'labels', type: 'float32' });
  });

  test("the loss's shapes are inferred per role: no reduction axes are computed at run time", () => {
    // An exporter's value_info says the encoder output is ['batch', 3]; inside the step that 'batch' is all roles' rows.
    const encoder = linearEncoder();
    encoder.outputs[0]!.shape = ['batch', 3];
    const step = buildTrainStep({ encoder, loss: 'TripletLoss', optimizer: createSgd() });
    const ops = decodeModel(step.model).graph!.node!.map((n) => n.opType);
    expect(ops).toContain('Split');
    expect(ops).not.toContain('NonZero');
  });

  test('fails clearly when nothing trains or the loss is unknown', () => {
    expect(() => buildTrainStep({ encoder: linearEncoder(), loss: 'TripletLoss', optimizer: createSgd(), trainable: 'none' }))
      .toThrow('[twinembed:train] train step: expected at least one trainable parameter, got none (trainable: none)');
    expect(() => buildTrainStep({ encoder: linearEncoder(), loss: 'NoSuchLoss', optimizer: createSgd() })).toThrow(/unknown loss "NoSuchLoss"/);
    const unread = new GraphBuilder(); // its only parameter feeds an output no loss reads
    const x = unread.input('x', 'float32', ['batch', 4]);
    unread.output(unread.op.Neg(x), 'embedding');
    unread.output(unread.op.MatMul(x, unread.param('pooler.weight', new Float32Array(8), [4, 2])), 'pooler');
    expect(() => buildTrainStep({ encoder: unread, loss: 'TripletLoss', optimizer: createSgd() }))
      .toThrow('[twinembed:train] train step: expected the loss to depend on a trainable parameter, got none of 1 (pooler.weight)');
  });

  test("a loss's own parameters (KochBCE's head) train, even with the encoder frozen", () => {
    const frozen = buildTrainStep({ encoder: linearEncoder(), loss: 'KochBCE', lossOptions: { dim: 3 }, optimizer: createSgd(), trainable: 'none' });
    expect(frozen.params).toEqual([{ name: 'head.weight', dims: [1, 3] }, { name: 'head.bias', dims: [1] }]);
    const all = buildTrainStep({ encoder: linearEncoder(), loss: 'KochBCE', lossOptions: { dim: 3 }, optimizer: createSgd() });
    expect(all.params.map((p) => p.name)).toEqual(['proj.weight', 'head.weight', 'head.bias']);
    expect(decodeModel(all.model).graph!.output!.map((v) => v.name)).toContain('updated.head.bias');
  });
});
