// What "loaded" must mean for a hostile file: an index that agrees with itself. Failures here are
// plain Errors, never TwinembedErrors, so a test can tell a wrong answer from a clean refusal.
import type { VectorIndex } from '../../packages/core/src/index.js';

/** Throws unless ids are unique and known, every search hit is one of them, and the index saves and reloads. */
export function checkConsistent(index: VectorIndex, reload?: (bytes: Uint8Array) => VectorIndex): void {
  const ids = index.ids(), known = new Set(ids);
  if (known.size !== ids.length) throw new Error(`inconsistent index: ${ids.length} ids, ${known.size} distinct`);
  if (ids.length !== index.size) throw new Error(`inconsistent index: size ${index.size}, ${ids.length} ids`);
  for (const id of ids) if (!index.has(id)) throw new Error(`inconsistent index: ids() lists ${JSON.stringify(id)}, has() denies it`);
  if (index.size === 0) return;
  const found = index.search(new Float32Array(index.dim).fill(0.1), index.size).ids;
  if (new Set(found).size !== found.length || found.some((id) => !known.has(id))) throw new Error(`inconsistent index: search returned ${JSON.stringify(found.slice(0, 8))}, not distinct known ids`);
  if (reload) {
    const again = reload(index.save());
    if (again.size !== index.size) throw new Error(`inconsistent index: saved ${index.size}, reloaded ${again.size}`);
  }
}
