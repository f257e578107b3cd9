// hnswlib's two searches: greedy descent through the upper layers, then a best-first search
// with a bounded candidate list (ef) on one layer. Deleted and filtered-out elements still
// route the search but never enter the results.
import { DistanceHeap } from './heap.js';
import type { HnswGraph } from './hnsw-graph.js';
import { VisitedSet } from './visited-set.js';

/** Reused buffers for one index: searches allocate nothing. */
export class SearchContext {
  readonly visited: VisitedSet;
  /** Results so far, worst on top. */
  readonly top = new DistanceHeap(256, 1);
  /** Frontier, nearest on top. */
  readonly frontier = new DistanceHeap(256, -1);
  /** Candidates while pruning a neighbour's list. */
  readonly prune = new DistanceHeap(64, 1);
  sortKeys = new Float64Array(256);
  sortValues = new Uint32Array(256);
  pickedKeys = new Float64Array(256);
  pickedValues = new Uint32Array(256);

  constructor(capacity: number) {
    this.visited = new VisitedSet(capacity);
  }

  /** Makes the sort and pick buffers hold `n` entries. */
  reserve(n: number): void {
    if (n <= this.sortKeys.length) return;
    const size = Math.max(n, this.sortKeys.length * 2);
    this.sortKeys = new Float64Array(size);
    this.sortValues = new Uint32Array(size);
    this.pickedKeys = new Float64Array(size);
    this.pickedValues = new Uint32Array(size);
  }
}

/** Walks down from the top layer to `stopLevel` + 1, always moving to a closer neighbour. */
export function greedyDescend(g: HnswGraph, q: Float32Array, qi: number, stopLevel: number): number {
  let current = g.entry;
  let best = g.distance(q, qi, g.f32, g.dataOffset(current), g.dim);
  for (let level = g.maxLevel; level > stopLevel; level--) {
    let changed = true;
    while (changed) {
      changed = false;
      const links = g.linkArray(current, level), at = g.linkOffset(current, level);
      const n = links[at]! & 0xffff;
      for (let j = 1; j <= n; j++) {
        const candidate = links[at + j]!;
        const d = g.distance(q, qi, g.f32, g.dataOffset(candidate), g.dim);
        if (d < best) {
          best = d;
          current = candidate;
          changed = true;
        }
      }
    }
  }
  return current;
}

/**
 * Best-first search on one layer from `ep`, keeping the `ef` nearest admitted elements in
 * `ctx.top`. `admit` (slot → boolean) is undefined when every live element qualifies.
 */
export function searchLayer(
  g: HnswGraph, ctx: SearchContext, ep: number, q: Float32Array, qi: number,
  level: number, ef: number, admit?: (slot: number) => boolean,
): DistanceHeap {
  const { top, frontier, visited } = ctx;
  const f32 = g.f32, dim = g.dim, distance = g.distance, checkDeleted = g.deletedCount > 0;
  top.clear();
  frontier.clear();
  visited.next(g.count);
  let lowerBound = Infinity;
  const d0 = distance(q, qi, f32, g.dataOffset(ep), dim);
  if ((!checkDeleted || !g.isDeleted(ep)) && (!admit || admit(ep))) {
    top.push(d0, ep);
    lowerBound = d0;
  }
  frontier.push(d0, ep);
  visited.visit(ep);
  while (frontier.size > 0) {
    if (frontier.topKey() > lowerBound && top.size >= ef) break;
    const node = frontier.topValue();
    frontier.pop();
    const links = g.linkArray(node, level), at = g.linkOffset(node, level);
    const n = links[at]! & 0xffff;
    for (let j = 1; j <= n; j++) {
      const candidate = links[at + j]!;
      if (!visited.visit(candidate)) continue;
      const d = distance(q, qi, f32, g.dataOffset(candidate), dim);
      if (top.size < ef || d < lowerBound) {
        frontier.push(d, candidate);
        if ((!checkDeleted || !g.isDeleted(candidate)) && (!admit || admit(candidate))) top.push(d, candidate);
        if (top.size > ef) top.pop();
        if (top.size > 0) lowerBound = top.topKey();
      }
    }
  }
  return top;
}
