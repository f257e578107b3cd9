// Turns a top-large heap of (distance, slot) into the caller's ids, nearest first.
import { DistanceHeap } from './heap.js';
import type { IdMap } from './id-map.js';
import type { SearchResult, VectorId } from './vector-index.js';

export function heapToResult(heap: DistanceHeap, k: number, labelOfSlot: (slot: number) => number, ids: IdMap): SearchResult {
  while (heap.size > k) heap.pop();
  const n = heap.size;
  const out: VectorId[] = new Array<VectorId>(n);
  const distances = new Float32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    distances[i] = heap.topKey();
    out[i] = ids.id(labelOfSlot(heap.topValue()));
    heap.pop();
  }
  return { ids: out, distances };
}
