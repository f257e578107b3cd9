// Rewiring an element whose vector changed in place (a replaced id, or a deleted slot taken
// by a new one), as hnswlib's updatePoint: re-prune every neighbour's list over its one- and
// two-hop candidates, then reconnect the element as if inserting it at its old level.
import type { HnswGraph } from './hnsw-graph.js';
import { connect, selectNeighbors } from './hnsw-insert.js';
import { greedyDescend, searchLayer, type SearchContext } from './hnsw-search.js';

function linksOf(g: HnswGraph, slot: number, level: number): Uint32Array {
  const links = g.linkArray(slot, level), at = g.linkOffset(slot, level);
  return links.slice(at + 1, at + 1 + (links[at]! & 0xffff));
}

/** Re-prunes `neighbour`'s list at `level` over the candidate set (excluding itself). */
function reprune(g: HnswGraph, ctx: SearchContext, neighbour: number, candidates: Set<number>, level: number): void {
  const heap = ctx.prune;
  heap.clear();
  const keep = Math.min(g.efConstruction, candidates.has(neighbour) ? candidates.size - 1 : candidates.size);
  for (const candidate of candidates) {
    if (candidate === neighbour) continue;
    const d = g.between(neighbour, candidate);
    if (heap.size < keep) heap.push(d, candidate);
    else if (d < heap.topKey()) {
      heap.pop();
      heap.push(d, candidate);
    }
  }
  selectNeighbors(g, ctx, heap, level === 0 ? g.maxM0 : g.M);
  const links = g.linkArray(neighbour, level), at = g.linkOffset(neighbour, level);
  let i = 0;
  for (; heap.size > 0; i++) {
    links[at + 1 + i] = heap.topValue();
    heap.pop();
  }
  links[at] = (links[at]! & 0xffff0000) | i;
}

/** Call after writing the new vector at `slot`. */
export function updateSlot(g: HnswGraph, ctx: SearchContext, slot: number): void {
  const entry = g.entry, maxLevel = g.maxLevel;
  if (entry === slot && g.count === 1) return;
  const level = g.levels[slot]!;
  for (let l = 0; l <= level; l++) {
    const oneHop = linksOf(g, slot, l);
    if (oneHop.length === 0) continue;
    const candidates = new Set<number>([slot]);
    for (const a of oneHop) {
      candidates.add(a);
      for (const b of linksOf(g, a, l)) candidates.add(b);
    }
    for (const neighbour of oneHop) reprune(g, ctx, neighbour, candidates, l);
  }
  reconnect(g, ctx, slot, level, entry, maxLevel);
}

/** hnswlib's repairConnectionsForUpdate. */
function reconnect(g: HnswGraph, ctx: SearchContext, slot: number, level: number, entry: number, maxLevel: number): void {
  const q = g.f32, qi = g.dataOffset(slot);
  let current = level < maxLevel ? greedyDescend(g, q, qi, level) : entry;
  for (let l = level; l >= 0; l--) {
    const top = searchLayer(g, ctx, current, q, qi, l, g.efConstruction);
    removeFromHeap(top, slot);
    if (top.size === 0) continue;
    if (g.isDeleted(entry) && entry !== slot) {
      top.push(g.between(slot, entry), entry);
      if (top.size > g.efConstruction) top.pop();
    }
    const closest = connect(g, ctx, slot, l, true);
    if (closest >= 0) current = closest;
  }
}

function removeFromHeap(heap: SearchContext['top'], slot: number): void {
  const keys: number[] = [], values: number[] = [];
  while (heap.size > 0) {
    if (heap.topValue() !== slot) {
      keys.push(heap.topKey());
      values.push(heap.topValue());
    }
    heap.pop();
  }
  for (let i = 0; i < keys.length; i++) heap.push(keys[i]!, values[i]!);
}
