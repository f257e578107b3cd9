// Seeded mutations of valid files for the fuzzer: bit flips, truncations, splices, and edits of the
// fields that carry sizes and links, with lengths and checksums recomputed where the format has
// them, so mutants get past the checksum to the checks behind it.
import { encodeBundle, type Sidecar } from '../../packages/core/src/index.js';
import { FIELDS, HEADER, payloadAt, resealed, sidecarOf, type Field } from './index-files-craft.js';

export type Random = () => number;
export interface Mutant { kind: string; bytes: Uint8Array }

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, n: number) => Math.floor(random() * n);

/** Values that sit on the edges size checks get wrong. */
export function edgeValue(random: Random, near: number): number {
  return pick(random, [0, 1, 2, near - 1, near, near + 1, 2 * near, 0xffff, 0x10000, 2 ** 27, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 53, int(random, 2 ** 32)]);
}

export function flipBits(random: Random, bytes: Uint8Array, from = 0): Uint8Array {
  const out = bytes.slice();
  for (let k = 1 + int(random, 8); k > 0; k--) {
    const at = from + int(random, out.length - from);
    out[at]! ^= 1 << int(random, 8);
  }
  return out;
}

export function cut(random: Random, bytes: Uint8Array, from = 0): Uint8Array {
  return bytes.slice(0, from + int(random, bytes.length - from));
}

/** Inserts or removes a few bytes somewhere after `from`. */
export function splice(random: Random, bytes: Uint8Array, from = 0): Uint8Array {
  const at = from + int(random, bytes.length - from), n = 1 + int(random, 16);
  if (random() < 0.5) {
    const out = new Uint8Array(bytes.length + n);
    out.set(bytes.subarray(0, at));
    for (let k = 0; k < n; k++) out[at + k] = int(random, 256);
    out.set(bytes.subarray(at), at + n);
    return out;
  }
  const removed = Math.min(n, bytes.length - at), out = new Uint8Array(bytes.length - removed);
  out.set(bytes.subarray(0, at));
  out.set(bytes.subarray(at + removed), at);
  return out;
}

/** Reseals a mutated bundle unless its own header no longer locates the payload. */
function sealed(bytes: Uint8Array): Uint8Array {
  return bytes.length >= 24 && payloadAt(bytes) <= bytes.length ? resealed(bytes) : bytes;
}

/** One mutant of a twinembed index bundle whose payload (if any) is hnswlib bytes. */
export function mutateBundle(random: Random, bundle: Uint8Array): Mutant {
  const at = payloadAt(bundle), hnsw = sidecarOf(bundle).backend !== 'flat';
  const kind = pick(random, hnsw ? ['flip', 'flip-unsealed', 'cut', 'splice', 'header', 'word', 'sidecar'] : ['flip', 'cut', 'splice', 'sidecar']);
  if (kind === 'flip-unsealed') return { kind, bytes: flipBits(random, bundle) };
  if (kind === 'flip') return { kind, bytes: sealed(flipBits(random, bundle, 24)) };
  if (kind === 'cut') return { kind, bytes: sealed(cut(random, bundle, at)) };
  if (kind === 'splice') return { kind, bytes: sealed(splice(random, bundle, at)) };
  if (kind === 'sidecar') return { kind, bytes: encodeBundle(mutateSidecar(random, sidecarOf(bundle)), bundle.slice(at)) };
  const out = bundle.slice(), view = new DataView(out.buffer, at);
  const count = Number(view.getBigUint64(16, true));
  if (kind === 'header') {
    const [offset, width] = FIELDS[pick(random, Object.keys(FIELDS) as Field[])];
    const value = edgeValue(random, count);
    if (width === 8) view.setBigUint64(offset, BigInt(value), true);
    else view.setUint32(offset, value % 2 ** 32, true);
  } else {
    // A word inside the elements (counts, links, vectors, labels) or the upper-layer lists.
    const word = HEADER + 4 * int(random, (out.length - at - HEADER) / 4);
    const value = random() < 0.5 ? edgeValue(random, count) : int(random, count + 2);
    view.setUint32(word, value % 2 ** 32, true);
  }
  return { kind, bytes: resealed(out) };
}

const junk = (random: Random): unknown => pick(random, [null, -1, 0, 1.5, 2 ** 60, 'x', '', [], {}, [1, 1], { a: 1 }, true, NaN]);

/** A structural edit of the sidecar: wrong types, broken ids, options off by one. */
export function mutateSidecar(random: Random, s: Sidecar): Sidecar {
  const t = structuredClone(s) as unknown as Record<string, unknown> & { ids: Record<string, unknown[]> };
  const lists = ['labels', 'ids', 'metadata'] as const;
  const list = t.ids[pick(random, lists)]!, i = int(random, Math.max(list.length, 1));
  switch (int(random, 9)) {
    case 0: t[pick(random, ['backend', 'metric', 'dim', 'M', 'efConstruction', 'ef', 'seed', 'ids'])] = junk(random); break;
    case 1: list[i] = junk(random); break;
    case 2: list[i] = list[int(random, list.length)]; break; // a duplicate
    case 3: list.pop(); break;
    case 4: lists.forEach((name) => t.ids[name]!.pop()); break;
    case 5: t.dim = (t.dim as number) + pick(random, [-1, 1, 2 ** 16, 2 ** 20]); break;
    case 6: t.M = (t.M as number) + pick(random, [-1, 1]); break;
    case 7: t.backend = pick(random, ['flat', 'hnsw', 'hnswlib']); break;
    default: list.reverse();
  }
  return t as unknown as Sidecar;
}
