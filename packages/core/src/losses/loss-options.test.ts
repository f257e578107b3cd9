import { describe, expect, test } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.js';
import { batchSemiHardTripletLoss } from './batch-triplet-losses.js';
import { contrastiveLoss } from './contrastive-loss.js';
import { multipleNegativesRankingLoss } from './ranking-loss.js';
import { tripletLoss } from './triplet-loss.js';

describe('loss options', () => {
  const b = new GraphBuilder();
  const e = (name: string) => b.input(name, 'float32', ['batch', 8]);
  const [anchor, other, negative] = [e('a'), e('b'), e('n')];
  const labels = b.input('y', 'float32', ['batch']);

  test('bad options fail with the loss and option named', () => {
    expect(() => contrastiveLoss(b, { anchor, other, labels }, { distance: 'hamming' as 'cosine' })).toThrow(/ContrastiveLoss distance: expected one of cosine, euclidean, manhattan, got hamming/);
    expect(() => tripletLoss(b, { anchor, positive: other, negative }, { margin: Number.NaN })).toThrow(/TripletLoss margin: expected a finite number/);
    expect(() => tripletLoss(b, { anchor, positive: other, negative }, { eps: -1 })).toThrow(/TripletLoss eps: expected a number ≥ 0, got -1/);
    expect(() => multipleNegativesRankingLoss(b, { anchor, positive: other }, { scale: Infinity })).toThrow(/MultipleNegativesRankingLoss scale/);
  });

  test('batch mining builds at opset 17 (axes attributes) and 18 (axes inputs)', () => {
    for (const opset of [17, 18]) {
      const g = new GraphBuilder({ opset });
      const loss = batchSemiHardTripletLoss(g, { embeddings: g.input('e', 'float32', ['batch', 8]), labels: g.input('labels', 'int64', ['batch']) });
      expect(loss.type).toBe('float32');
      const reduceMax = g.nodes.filter((n) => n.opType === 'ReduceMax');
      expect(reduceMax.every((n) => n.inputs.length === (opset >= 18 ? 2 : 1))).toBe(true);
    }
  });
});
