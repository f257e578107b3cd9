import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import type { Value } from '../graph/value.js';
import { LOSSES, lossEntry, type LossKind } from './loss-registry.js';

function inputsOf(b: GraphBuilder, kind: LossKind): Record<string, Value | Value[]> {
  const e = (name: string) => b.input(name, 'float32', ['batch', 8]);
  switch (kind) {
    case 'pairs': return { anchor: e('a'), other: e('b'), labels: b.input('y', 'float32', ['batch']) };
    case 'triplets': return { anchor: e('a'), positive: e('p'), negative: e('n') };
    case 'labeled': return { embeddings: e('e'), labels: b.input('labels', 'int64', ['batch']) };
    case 'ranking': return { anchor: e('a'), positive: e('p'), negatives: [e('n')] };
  }
}

describe('LOSSES', () => {
  test.each(Object.keys(LOSSES))('%s builds a float scalar from its kind of inputs', (name) => {
    const b = new GraphBuilder();
    const loss = lossEntry(name);
    const value = (loss.build as (b: GraphBuilder, x: unknown, o: object) => Value)(b, inputsOf(b, loss.kind), { dim: 8 });
    expect(value.type).toBe('float32');
  });

  test('an unknown name lists the known ones', () => {
    expect(() => lossEntry('CoSentLoss')).toThrow(/unknown loss "CoSentLoss": expected one of ContrastiveLoss, OnlineContrastiveLoss,/);
  });

  test('a distance the batch losses do not have is an error', () => {
    const b = new GraphBuilder();
    const loss = lossEntry('BatchHardTripletLoss');
    expect(() => (loss.build as (b: GraphBuilder, x: unknown, o: object) => Value)(b, inputsOf(b, 'labeled'), { distance: 'manhattan' }))
      .toThrow(/BatchHardTripletLoss distance: expected euclidean or cosine, got manhattan/);
  });
});
