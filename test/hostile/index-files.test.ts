// Issue 14, must-fix 1, 2 and 7: crafted index files with valid checksums — links, link counts,
// entry point and max level out of range, counts the file cannot hold, ids out of step with the
// payload — are refused with one TwinembedError line by every backend. Native hnswlib runs in a
// child process (it segfaulted on these files, taking its process down); a header claiming 2^27
// elements loads there in bounded memory (it took 6 GB).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIndexBytes, createIndex, loadIndexBytes, TwinembedError } from '../../packages/core/src/index.js';
import { createNodeIndex, encodeNpy, openIndexBytes } from '../../packages/node/src/index.js';
import { tempDirs } from '../support/temp-dirs.js';
import { randomUnitVectors } from '../support/vector-data.js';
import { checkConsistent } from './fuzz-checks.js';
import { child, type ChildRun } from './index-files-run.js';
import { flatCases, payloadCases, sidecarCases, type HostileCase } from './index-files-cases.js';
import { filledIndex, payloadMap, payloadAt, setField, setLabel, withPayload } from './index-files-craft.js';

const N = 200, DIM = 8;
const tempDir = tempDirs('hostile-index');
const hnsw = (dim: number) => createIndex({ backend: 'hnsw', dim, metric: 'l2', M: 4, efConstruction: 32 });
const native = (dim: number) => createNodeIndex({ backend: 'hnswlib', dim, metric: 'l2', M: 4, efConstruction: 32 }).index;
const flat = (dim: number) => createIndex({ backend: 'flat', dim, metric: 'l2' });

const oneLine = (text: string) => text.trim().split('\n').length === 1;

function expectRefusal(open: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    open();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TwinembedError);
  expect((thrown as Error).message).toMatch(message);
  expect(oneLine((thrown as Error).message)).toBe(true);
}

describe('crafted index files, TypeScript backends (in process)', () => {
  const valid = filledIndex(hnsw, N, DIM, 3).index.save();
  const cases = [...payloadCases(valid), ...sidecarCases(valid), ...flatCases(filledIndex(flat, N, DIM, 4).index.save())];

  it('start from a file that loads', () => {
    expect(payloadMap(valid.subarray(payloadAt(valid))).levels.some((l) => l > 0)).toBe(true);
    checkConsistent(loadIndexBytes(valid), loadIndexBytes);
  });

  it.each(cases.map((c) => [c.name, c] as const))('refuses %s', (_, { bytes, message }) => {
    expectRefusal(() => loadIndexBytes(bytes), message);
    expectRefusal(() => openIndexBytes(bytes, { backend: 'hnsw' }), message);
  });
});

describe('crafted index files, native hnswlib (in a child process)', () => {
  const valid = filledIndex(native, N, DIM, 5).index.save();
  const cases: HostileCase[] = [...payloadCases(valid), ...sidecarCases(valid)];
  let run: ChildRun;
  const files: string[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    const queries = join(dir, 'queries.npy');
    writeFileSync(queries, encodeNpy({ count: 2, dim: DIM, vectors: randomUnitVectors(2, DIM, 9) }));
    cases.forEach((c, i) => {
      files.push(join(dir, `case-${i}.twix`));
      writeFileSync(files[i]!, c.bytes);
    });
    writeFileSync(join(dir, 'valid.twix'), valid);
    run = await child('refusals', queries, join(dir, 'valid.twix'), ...files);
  }, 120_000);

  it('survives every file (no crash) and opens the valid one', () => {
    expect(run.stderr).toBe('');
    expect([run.code, run.signal]).toEqual([0, null]); // it ended by SIGSEGV before the fix
    expect(run.lines).toHaveLength(cases.length + 2);
    expect(run.lines[0]).toMatchObject({ library: { ok: true, backend: 'hnswlib', size: N }, cli: { code: 0 } });
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('refuses %s: loadIndex + search, and twinembed search', (_, i) => {
    const line = run.lines[i + 1] as { file: string; library: { error: string; message: string }; cli: { code: number; err: string; out: string } };
    expect(line.file).toBe(files[i]);
    expect(line.library.error).toBe('TwinembedError');
    expect(line.library.message).toMatch(cases[i]!.message);
    expect(oneLine(line.library.message)).toBe(true);
    expect(line.cli.code).toBe(2);
    expect(line.cli.out).toBe('');
    expect(oneLine(line.cli.err)).toBe(true);
    expect(line.cli.err).toMatch(cases[i]!.message);
  });
});

describe('a small file whose header claims 2^27 max elements', () => {
  const valid = filledIndex(native, 20, DIM, 6).index.save();
  const huge = withPayload(valid, (v) => setField(v, 'capacity', 2 ** 27));

  it('is a few kilobytes', () => expect(huge.length).toBeLessThan(4096));

  it('opens in process with room for what it holds, not for 2^27', () => {
    for (const backend of ['hnsw', 'hnswlib'] as const) {
      const { index } = openIndexBytes(huge, { backend });
      expect(index.capacity).toBeLessThanOrEqual(40);
      checkConsistent(index);
    }
  });

  it('opens with native hnswlib within 64 MiB of the peak RSS of the same file without the claim', async () => {
    const dir = tempDir();
    const queries = join(dir, 'q.npy');
    writeFileSync(queries, encodeNpy({ count: 1, dim: DIM, vectors: randomUnitVectors(1, DIM, 2) }));
    writeFileSync(join(dir, 'valid.twix'), valid);
    writeFileSync(join(dir, 'huge.twix'), huge);
    const [base, claimed] = [await child('open', queries, join(dir, 'valid.twix')), await child('open', queries, join(dir, 'huge.twix'))];
    expect([base.code, claimed.code]).toEqual([0, 0]);
    expect(claimed.lines[0]).toMatchObject({ library: { ok: true, size: 20, ids: (base.lines[0] as { library: { ids: unknown } }).library.ids } });
    const rss = (r: ChildRun) => (r.lines[1] as { maxRssKiB: number }).maxRssKiB;
    // Before the fix hnswlib allocated for 2^27 elements: ~6 GB more. 64 MiB is run-to-run noise with room.
    expect(rss(claimed) - rss(base)).toBeLessThan(64 * 1024);
  }, 120_000);
});

describe('a deleted element that carries a live element\'s label (hnswlib replace-deleted can write these)', () => {
  // Remove id 9, then give its deleted slot label 3 (id 3's). hnswlib's label lookup keeps the last slot read
  // with a label, here the deleted one, unless twinembed relabels it; the TypeScript map must keep the live one.
  const { index, rows } = filledIndex(native, 50, DIM, 7);
  index.remove([9]);
  const file = withPayload(index.save(), (v, m) => {
    const view = new DataView(v.buffer, v.byteOffset + 96 + 9 * m.stride + m.labelOffset, 8);
    expect(view.getUint32(0, true)).toBe(9);
    setLabel(v, m, 9, 3);
  });
  const row3 = rows.slice(3 * DIM, 4 * DIM);

  it('loads, removes and re-adds id 3 with the TypeScript hnsw backend', () => {
    const loaded = openIndexBytes(file, { backend: 'hnsw' }).index;
    checkConsistent(loaded, loadIndexBytes);
    expect(loaded.search(row3, 1).ids).toEqual([3]);
    loaded.remove([3]);
    expect([loaded.size, loaded.has(3), loaded.search(row3, 3).ids.includes(3)]).toEqual([48, false, false]);
    loaded.add([3], row3);
    checkConsistent(loaded, loadIndexBytes);
    expect(loaded.search(row3, 1).ids).toEqual([3]);
  });

  it('reuses the deleted slot for a new id without losing the live element that shares its label (hnsw)', () => {
    const loaded = openIndexBytes(file, { backend: 'hnsw' }).index;
    loaded.add(['z'], rows.slice(9 * DIM, 10 * DIM)); // takes the one deleted slot, which carries label 3
    loaded.remove([3]);
    checkConsistent(loaded, loadIndexBytes);
    expect([loaded.size, loaded.search(row3, 3).ids.includes(3), loaded.search(rows.slice(9 * DIM, 10 * DIM), 1).ids]).toEqual([49, false, ['z']]);
  });

  it('is no longer written by the hnswlib backend: a reopened index re-adding into a deleted slot keeps labels one per slot', () => {
    // Before, a reopened HnswlibIndex forgot which labels it had deleted: a new id could take label 9 while
    // hnswlib put it in another deleted slot, leaving slot 9 deleted with label 9 too (1 such slot here).
    const reopened = openIndexBytes(index.save(), { backend: 'hnswlib' }).index;
    reopened.remove([1, 2, 4]);
    const again = openIndexBytes(reopened.save(), { backend: 'hnswlib' }).index;
    again.add(['new'], row3);
    const file = checkIndexBytes(again.save());
    expect([file.layout!.shadowed, file.layout!.liveCount]).toEqual([[], 47]);
  });

  it('does the same with native hnswlib', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shadow.twix'), file);
    writeFileSync(join(dir, 'row.npy'), encodeNpy({ count: 1, dim: DIM, vectors: row3 }));
    const run = await child('shadow', join(dir, 'shadow.twix'), join(dir, 'row.npy'), '3');
    expect(run.code).toBe(0);
    const result = run.lines[0] as { before: number[]; removed: { ids: number[]; size: number; has: boolean }; readded: number[]; size: number };
    expect(result.before[0]).toBe(3);
    expect(result.removed).toMatchObject({ size: 48, has: false });
    expect(result.removed.ids).not.toContain(3);
    expect([result.readded[0], result.size]).toEqual([3, 49]);
  }, 120_000);
});
