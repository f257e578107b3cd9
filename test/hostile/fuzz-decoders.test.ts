// A seeded fuzzer over the index, .npy and safetensors decoders (issue 14): thousands of mutants of
// valid files, each of which must load as something self-consistent or be refused with a
// TwinembedError — never another exception, never a crash, never a slow load. Mutants that would
// reach native hnswlib are opened again there, in a child process, and must get the same verdict.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIndex, decodeSafetensors, encodeSafetensors, loadIndexBytes, TwinembedError, type VectorIndex } from '../../packages/core/src/index.js';
import { createNodeIndex, encodeNpy, parseNpy } from '../../packages/node/src/index.js';
import { seededRandom } from '../support/random.js';
import { tempDirs } from '../support/temp-dirs.js';
import { randomUnitVectors, range } from '../support/vector-data.js';
import { checkConsistent } from './fuzz-checks.js';
import { cut, edgeValue, flipBits, mutateBundle, pick, splice, type Random } from './fuzz-mutate.js';
import { child } from './index-files-run.js';
import { sidecarOf } from './index-files-craft.js';

const MUTANTS = { index: 3000, npy: 2000, safetensors: 2000 };
/** Valid seeds decode in well under 10 ms; a mutant 100× slower is a defect (e.g. sizing from a bogus count). */
const SLOW_MS = 1000;
const tempDir = tempDirs('fuzz');

interface Verdict { kind: string; loaded: boolean; message?: string; ms: number }

/** Decodes and checks; a TwinembedError is a refusal, anything else fails the test with the mutant's kind. */
function verdict<T>(kind: string, i: number, decode: () => T, check: (value: T) => void): Verdict {
  const start = performance.now();
  try {
    check(decode());
    return { kind, loaded: true, ms: performance.now() - start };
  } catch (error) {
    if (!(error instanceof TwinembedError)) throw new Error(`mutant ${i} (${kind}) threw ${String(error)}, not a TwinembedError`, { cause: error });
    expect(error.message.split('\n')).toHaveLength(1);
    return { kind, loaded: false, message: error.message, ms: performance.now() - start };
  }
}

function summary(verdicts: Verdict[]): { loaded: number; refused: number; slowest: number } {
  return { loaded: verdicts.filter((v) => v.loaded).length, refused: verdicts.filter((v) => !v.loaded).length, slowest: verdicts.reduce((m, v) => Math.max(m, v.ms), 0) };
}

function indexSeeds(): Uint8Array[] {
  const fill = (index: VectorIndex, n: number, seed: number, ids: (i: number) => string | number = (i) => i) => {
    index.add(range(0, n).map(ids), randomUnitVectors(n, index.dim, seed), { metadata: range(0, n).map((i) => ({ g: i % 2 })) });
    return index;
  };
  const deleted = fill(createIndex({ backend: 'hnsw', dim: 8, metric: 'cosine', M: 4 }), 30, 2, (i) => `doc-${i}`);
  deleted.remove(['doc-3', 'doc-17']);
  const native = fill(createNodeIndex({ backend: 'hnswlib', dim: 4, metric: 'l2', M: 4 }).index, 30, 3);
  native.remove([5]);
  return [
    fill(createIndex({ backend: 'hnsw', dim: 6, metric: 'l2', M: 4 }), 40, 1).save(), // plain JS distances (dim not a multiple of 4)
    deleted.save(), // WebAssembly distances, string ids, deleted slots
    native.save(),
    fill(createIndex({ backend: 'flat', dim: 5, metric: 'ip' }), 20, 4).save(),
  ];
}

describe('fuzzing the index decoder (seed 14)', () => {
  const seeds = indexSeeds();
  const random = seededRandom(14);
  const mutants = Array.from({ length: MUTANTS.index }, () => mutateBundle(random, pick(random, seeds)));
  let verdicts: Verdict[] = [];

  it(`gives each of ${MUTANTS.index} mutants a self-consistent index or a TwinembedError, quickly`, () => {
    for (const seed of seeds) checkConsistent(loadIndexBytes(seed), loadIndexBytes);
    verdicts = mutants.map((m, i) => verdict(m.kind, i, () => loadIndexBytes(m.bytes), (index) => checkConsistent(index, loadIndexBytes)));
    const { loaded, refused, slowest } = summary(verdicts);
    const pastChecksum = verdicts.filter((v) => !v.loaded && !/checksum mismatch|truncated or padded|magic/.test(v.message!)).length;
    expect(slowest).toBeLessThan(SLOW_MS);
    // The fuzzer's reach, not the decoder's behaviour: both verdicts occur, and most refusals come from checks behind the CRC.
    expect(loaded).toBeGreaterThan(MUTANTS.index / 20);
    expect(pastChecksum).toBeGreaterThan(refused / 2);
  });

  it('gets the same verdicts from native hnswlib, in a child process that must not crash', async () => {
    const dir = tempDir();
    // Mutants the checks passed are what native hnswlib reads; a sample of refused ones must be refused there too.
    const backendOf = (bytes: Uint8Array) => {
      try {
        return sidecarOf(bytes).backend;
      } catch {
        return undefined;
      }
    };
    const all = mutants.map((m, i) => ({ ...m, i, backend: backendOf(m.bytes) }));
    const accepted = all.filter((m) => verdicts[m.i]!.loaded && m.backend !== 'flat');
    const native = [...accepted.slice(0, 250), ...all.filter((m) => !verdicts[m.i]!.loaded).slice(0, 50)];
    expect(accepted.length).toBeGreaterThan(200);
    const files = native.map((m) => join(dir, `mutant-${m.i}.twix`));
    native.forEach((m, k) => writeFileSync(files[k]!, m.bytes));
    const run = await child('fuzz', ...files);
    expect([run.code, run.signal, run.stderr]).toEqual([0, null, '']);
    expect(run.lines).toHaveLength(files.length + 1);
    native.forEach((m, k) => {
      const line = run.lines[k] as { file: string; library: { ok?: true; error?: string; message?: string; cause?: string } };
      expect(line.file).toBe(files[k]);
      if (line.library.ok) expect(verdicts[m.i]!.loaded, `mutant ${m.i} (${m.kind}) loads natively only`).toBe(true);
      else {
        expect(line.library.error, line.library.message).toBe('TwinembedError');
        expect([line.library.cause ?? 'TwinembedError', verdicts[m.i]!.loaded], `mutant ${m.i} (${m.kind}): ${line.library.message}`).toEqual(['TwinembedError', false]);
      }
    });
  }, 300_000);
});

/** A .npy mutant: bytes edited, or a header with a hostile shape and its length field fixed. */
function npyMutant(random: Random, seed: Uint8Array): { kind: string; bytes: Uint8Array } {
  const kind = pick(random, ['flip', 'cut', 'splice', 'shape', 'header-length']);
  if (kind === 'flip') return { kind, bytes: flipBits(random, seed) };
  if (kind === 'cut') return { kind, bytes: cut(random, seed) };
  if (kind === 'splice') return { kind, bytes: splice(random, seed) };
  const out = seed.slice(), view = new DataView(out.buffer);
  if (kind === 'header-length') {
    view.setUint16(8, edgeValue(random, view.getUint16(8, true)) % 0x10000, true);
    return { kind, bytes: out };
  }
  const dim = () => pick(random, [String(edgeValue(random, 4)), '0x10', '1e3', '-1', '', '3L', '99999999999999999999', ' 4', '4.0', 'None']);
  const header = new TextDecoder().decode(out.subarray(10, 10 + view.getUint16(8, true))).replace(/\(([^)]*)\)/, () => `(${dim()}, ${dim()})`);
  const text = new TextEncoder().encode(header), data = out.subarray(10 + view.getUint16(8, true));
  const bytes = new Uint8Array(10 + text.length + data.length);
  bytes.set(out.subarray(0, 10));
  new DataView(bytes.buffer).setUint16(8, text.length, true);
  bytes.set(text, 10);
  bytes.set(data, 10 + text.length);
  return { kind, bytes };
}

describe('fuzzing the .npy decoder (seed 15)', () => {
  it(`gives each of ${MUTANTS.npy} mutants a count × dim matrix or a TwinembedError, quickly`, () => {
    const seeds = [encodeNpy({ count: 3, dim: 4, vectors: randomUnitVectors(3, 4, 1) }), encodeNpy({ count: 1, dim: 7, vectors: randomUnitVectors(1, 7, 2) })];
    const random = seededRandom(15);
    const verdicts = range(0, MUTANTS.npy).map((i) => {
      const m = npyMutant(random, pick(random, seeds));
      return verdict(m.kind, i, () => parseNpy(m.bytes, 'mutant.npy'), ({ count, dim, vectors }) => {
        if (!(count > 0 && dim > 0 && vectors instanceof Float32Array && vectors.length === count * dim)) throw new Error(`npy mutant ${i} gave ${count} × ${dim} with ${vectors.length} values`);
      });
    });
    const { loaded, refused, slowest } = summary(verdicts);
    expect(slowest).toBeLessThan(SLOW_MS);
    expect([loaded > MUTANTS.npy / 20, refused > MUTANTS.npy / 2]).toEqual([true, true]);
  });
});

const TENSOR_SEED = encodeSafetensors({
  a: { type: 'float32', dims: [2, 3], data: new Float32Array(6).fill(0.5) },
  b: { type: 'int64', dims: [4], data: new BigInt64Array(4).fill(7n) },
  c: { type: 'uint8', dims: [5], data: new Uint8Array(5).fill(1) },
  d: { type: 'float16', dims: [0, 7], data: new Uint16Array(0) },
}, { step: '1' });

/** A safetensors mutant: bytes edited, or one header entry edited with the length prefix fixed. */
function safetensorsMutant(random: Random): { kind: string; bytes: Uint8Array } {
  const kind = pick(random, ['flip', 'cut', 'splice', 'entry']);
  if (kind === 'flip') return { kind, bytes: flipBits(random, TENSOR_SEED) };
  if (kind === 'cut') return { kind, bytes: cut(random, TENSOR_SEED) };
  if (kind === 'splice') return { kind, bytes: splice(random, TENSOR_SEED) };
  const length = Number(new DataView(TENSOR_SEED.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(TENSOR_SEED.subarray(8, 8 + length))) as Record<string, Record<string, unknown>>;
  const entry = header[pick(random, ['a', 'b', 'c', 'd', '__metadata__'])]!;
  const key = pick(random, ['dtype', 'shape', 'data_offsets', 'step']);
  entry[key] = pick(random, [null, 'F32', 'U8', 'F8_E4M3', [edgeValue(random, 6)], [2, edgeValue(random, 3)], [0, edgeValue(random, 24)], [edgeValue(random, 24), 24], [-1, 5], ['0', '24'], {}, 3]);
  const text = new TextEncoder().encode(JSON.stringify(header)), data = TENSOR_SEED.subarray(8 + length);
  const bytes = new Uint8Array(8 + text.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
  bytes.set(text, 8);
  bytes.set(data, 8 + text.length);
  return { kind, bytes };
}

describe('fuzzing the safetensors decoder (seed 16)', () => {
  it(`gives each of ${MUTANTS.safetensors} mutants tensors whose data matches their dims, or a TwinembedError, quickly`, () => {
    const random = seededRandom(16);
    const verdicts = range(0, MUTANTS.safetensors).map((i) => {
      const m = safetensorsMutant(random);
      return verdict(m.kind, i, () => decodeSafetensors(m.bytes, 'mutant'), ({ tensors }) => {
        for (const [name, t] of tensors) {
          const count = t.dims.reduce((n, d) => n * d, 1);
          if (t.data.length !== count) throw new Error(`safetensors mutant ${i}: tensor ${name} has ${t.data.length} values for dims [${t.dims.join(', ')}]`);
        }
      });
    });
    const { loaded, refused, slowest } = summary(verdicts);
    expect(slowest).toBeLessThan(SLOW_MS);
    expect([loaded > MUTANTS.safetensors / 20, refused > MUTANTS.safetensors / 2]).toEqual([true, true]);
  });
});
