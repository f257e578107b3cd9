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
export function greedyDescend(g: HnswGraph, query: Float32Array, queryAt: number, stopLevel: number): number {
  const qi = g.stage(query, queryAt), q = g.queryArray(query);
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
  g: HnswGraph, ctx: SearchContext, ep: number, query: Float32Array, queryAt: number,
  level: number, ef: number, admit?: (slot: number) => boolean,
): DistanceHeap {
  const qi = g.stage(query, queryAt), q = g.queryArray(query);
  const { top, frontier, visited } = ctx;
  const checkDeleted = g.deletedCount > 0;
  top.clear();
  frontier.clear();
  visited.next(g.count);
  let lowerBound = Infinity;
  const d0 = g.distance(q, qi, g.f32, g.dataOffset(ep), g.dim);
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
    // Unvisited neighbours first, then all their distances in one call (one wasm call with SIMD).
    const slots = g.batchSlots, distances = g.batchDistances;
    let m = 0;
    for (let j = 1; j <= n; j++) {
      const candidate = links[at + j]!;
      if (visited.visit(candidate)) slots[m++] = candidate;
    }
    if (m === 0) continue;
    g.distanceMany(q, qi, m);
    for (let t = 0; t < m; t++) {
      const candidate = slots[t]!, d = distances[t]!;
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
