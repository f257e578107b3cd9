import { expect, test } from 'vitest';
import { seededRandom } from '../random.js';
import { createShuffleCycle } from './shuffle-cycle.js';

test('takes are distinct across pass seams, and each pass of n items is a permutation', () => {
  const items = [10, 11, 12, 13, 14, 15, 16];
  for (const k of [1, 3, 4, 6, 7]) {
    const cycle = createShuffleCycle(items, seededRandom(k));
    const stream: number[] = [];
    for (let t = 0; t < 200; t++) {
      const taken = cycle.take(k);
      expect(new Set(taken).size, `k = ${k}, take ${t}`).toBe(k);
      stream.push(...taken);
    }
    for (let p = 0; p + 7 <= stream.length; p += 7) expect(stream.slice(p, p + 7).sort()).toEqual(items);
  }
});

test('takes larger than the item count repeat items as evenly as the passes allow', () => {
  const taken = createShuffleCycle([1, 2], seededRandom(3)).take(5);
  expect(taken.filter((x) => x === 1).length + taken.filter((x) => x === 2).length).toBe(5);
  expect(taken.slice(0, 4).sort()).toEqual([1, 1, 2, 2]);
});
