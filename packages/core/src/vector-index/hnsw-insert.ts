// Insertion as in hnswlib: search each layer from the top, keep neighbours chosen by the
// heuristic (a candidate is kept only if it is closer to the new element than to every
// neighbour already kept), and link both ways, pruning full lists with the same heuristic.
import { drainAscending, type DistanceHeap } from './heap.js';
import type { HnswGraph } from './hnsw-graph.js';
import { greedyDescend, searchLayer, type SearchContext } from './hnsw-search.js';

/** hnswlib's getNeighborsByHeuristic2: leaves at most `M` diverse candidates in `heap`. */
export function selectNeighbors(g: HnswGraph, ctx: SearchContext, heap: DistanceHeap, M: number): void {
  if (heap.size < M) return;
  ctx.reserve(heap.size);
  const keys = ctx.sortKeys, values = ctx.sortValues;
  const n = drainAscending(heap, keys, values);
  const kept: number[] = [];
  for (let i = 0; i < n && kept.length < M; i++) {
    const candidate = values[i]!, toQuery = keys[i]!;
    let good = true;
    for (const k of kept) {
      if (g.between(values[k]!, candidate) < toQuery) {
        good = false;
        break;
      }
    }
    if (good) kept.push(i);
  }
  for (const k of kept) heap.push(keys[k]!, values[k]!);
}

/** Adds `slot` to a neighbour's list at `level`, pruning it when full. */
function linkBack(g: HnswGraph, ctx: SearchContext, neighbour: number, slot: number, level: number, isUpdate: boolean): void {
  const links = g.linkArray(neighbour, level), at = g.linkOffset(neighbour, level);
  const n = links[at]! & 0xffff;
  const maxLinks = level === 0 ? g.maxM0 : g.M;
  if (isUpdate) for (let j = 1; j <= n; j++) if (links[at + j] === slot) return;
  if (n < maxLinks) {
    links[at + 1 + n] = slot;
    links[at] = (links[at]! & 0xffff0000) | (n + 1);
    return;
  }
  const prune = ctx.prune;
  prune.clear();
  prune.push(g.between(slot, neighbour), slot);
  for (let j = 1; j <= n; j++) prune.push(g.between(links[at + j]!, neighbour), links[at + j]!);
  selectNeighbors(g, ctx, prune, maxLinks);
  let i = 0;
  for (; prune.size > 0; i++) {
    links[at + 1 + i] = prune.topValue();
    prune.pop();
  }
  links[at] = (links[at]! & 0xffff0000) | i;
}

/** hnswlib's mutuallyConnectNewElement over the candidates in `ctx.top`; returns the closest (−1 if none). */
export function connect(g: HnswGraph, ctx: SearchContext, slot: number, level: number, isUpdate: boolean): number {
  selectNeighbors(g, ctx, ctx.top, g.M);
  ctx.reserve(ctx.top.size);
  const n = drainAscending(ctx.top, ctx.pickedKeys, ctx.pickedValues);
  const picked = ctx.pickedValues.slice(0, n);
  const links = g.linkArray(slot, level), at = g.linkOffset(slot, level);
  for (let j = 0; j < n; j++) links[at + 1 + j] = picked[j]!;
  links[at] = (links[at]! & 0xffff0000) | n;
  for (let j = 0; j < n; j++) linkBack(g, ctx, picked[j]!, slot, level, isUpdate);
  return n > 0 ? picked[0]! : -1;
}

/** Links a new element already written at `slot` (vector, label, blank lists) into the graph. */
export function insertSlot(g: HnswGraph, ctx: SearchContext, slot: number): void {
  const level = g.levels[slot]!;
  if (g.entry < 0) {
    g.entry = slot;
    g.maxLevel = level;
    return;
  }
  const q = g.f32, qi = g.dataOffset(slot);
  const entry = g.entry, maxLevel = g.maxLevel;
  let current = level < maxLevel ? greedyDescend(g, q, qi, level) : entry;
  const entryDeleted = g.isDeleted(entry);
  for (let l = Math.min(level, maxLevel); l >= 0; l--) {
    const top = searchLayer(g, ctx, current, q, qi, l, g.efConstruction);
    if (entryDeleted) {
      top.push(g.between(slot, entry), entry);
      if (top.size > g.efConstruction) top.pop();
    }
    const closest = connect(g, ctx, slot, l, false);
    if (closest >= 0) current = closest;
  }
  if (level > maxLevel) {
    g.entry = slot;
    g.maxLevel = level;
  }
}
