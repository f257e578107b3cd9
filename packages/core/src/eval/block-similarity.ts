// Similarities of a few query rows to a few prototype rows (one episode's [ways × ways] block):
// the WebAssembly SIMD kernels of the vector index where they run (several times faster than
// typed-array reads in JS, which dominate at hundreds of dimensions), else plain JS.
import { innerProductDistance, l2Squared } from '../vector-index/distance.js';
import { createWasmKernels } from '../vector-index/wasm-distance.js';

/**
 * sim[q · ways + c] for `rows` = [ways queries, then ways prototypes] × dim: −‖q − p‖² (euclidean)
 * or q·p (cosine, rows already unit length). Higher = more alike.
 */
export type BlockSimilarity = (rows: Float32Array, ways: number, sim: Float64Array) => void;

function jsBlock(dim: number, cosine: boolean): BlockSimilarity {
  return (rows, ways, sim) => {
    for (let q = 0; q < ways; q++) {
      for (let c = 0; c < ways; c++) {
        const p = (ways + c) * dim;
        sim[q * ways + c] = cosine ? 1 - innerProductDistance(rows, q * dim, rows, p, dim) : -l2Squared(rows, q * dim, rows, p, dim);
      }
    }
  };
}

/** A block scorer for episodes of at most `maxWays` classes. */
export function blockSimilarity(dim: number, maxWays: number, cosine: boolean): BlockSimilarity {
  const rowBytes = 2 * maxWays * dim * 4;
  const kernels = dim % 4 === 0 ? createWasmKernels(rowBytes + 8 * maxWays) : undefined;
  if (!kernels) return jsBlock(dim, cosine);
  const many = cosine ? kernels.ipMany : kernels.l2Many;
  const slots = rowBytes;
  const out = rowBytes + 4 * maxWays;
  new Uint32Array(kernels.memory.buffer, slots, maxWays).set(Array.from({ length: maxWays }, (_, c) => c));
  const memory = new Float32Array(kernels.memory.buffer);
  const results = new Float32Array(kernels.memory.buffer, out, maxWays);
  return (rows, ways, sim) => {
    memory.set(rows);
    for (let q = 0; q < ways; q++) {
      many(q * dim * 4, slots, ways, out, dim, dim * 4, ways * dim * 4);
      for (let c = 0; c < ways; c++) sim[q * ways + c] = cosine ? 1 - results[c]! : -results[c]!;
    }
  };
}
