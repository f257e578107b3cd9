import { describe, expect, test } from 'vitest';
import { lengthSortedBatches, textFeeds } from './text-batch.js';

describe('text batches', () => {
  test('length-sorted batches, longest first, ties in input order', () => {
    expect(lengthSortedBatches([3, 9, 3, 5, 1], 2)).toEqual([[1, 3], [0, 2], [4]]);
  });

  test('each batch is padded to its own longest row; ids follow the model input type', () => {
    const rows = [{ ids: Int32Array.of(101, 7, 102), typeIds: new Int32Array(3) }, { ids: Int32Array.of(101, 102), typeIds: new Int32Array(2) }];
    const feeds = textFeeds(rows, { ids: { name: 'ids', type: 'int32', shape: null }, mask: { name: 'mask', type: 'int64' }, padId: 0 });
    expect(feeds.ids!.dims).toEqual([2, 3]);
    expect(Array.from(feeds.ids!.data as Int32Array)).toEqual([101, 7, 102, 101, 102, 0]);
    expect(Array.from(feeds.mask!.data as BigInt64Array)).toEqual([1n, 1n, 1n, 1n, 1n, 0n]);
  });

  test('pads with the given pad id; the prompt-length input gets one entry per row', () => {
    const rows = [{ ids: Int32Array.of(0, 5, 6, 2), typeIds: new Int32Array(4) }, { ids: Int32Array.of(0, 2), typeIds: new Int32Array(2) }];
    const feeds = textFeeds(rows, { ids: { name: 'ids', type: 'int64', shape: null }, padId: 1, promptLength: 'prompt_length' }, 3);
    expect(Array.from(feeds.ids!.data as BigInt64Array)).toEqual([0n, 5n, 6n, 2n, 0n, 2n, 1n, 1n]);
    expect([feeds.prompt_length!.dims, Array.from(feeds.prompt_length!.data as BigInt64Array)]).toEqual([[2], [3n, 3n]]);
  });

  test('a fixed-length model gets every batch at its length, and a longer row is an error', () => {
    const spec = { ids: { name: 'ids', type: 'int64', shape: null }, fixedLength: 4, padId: 0 };
    expect(textFeeds([{ ids: Int32Array.of(1, 2), typeIds: new Int32Array(2) }], spec).ids!.dims).toEqual([1, 4]);
    expect(() => textFeeds([{ ids: new Int32Array(5), typeIds: new Int32Array(5) }], spec)).toThrow('[twinembed:embed] token ids: the model takes exactly 4 tokens per input, got an input of 5');
  });
});
