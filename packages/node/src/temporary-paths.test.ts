import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs.js';
import { holdSiblings, settleHeldSync, siblingsOf, sweepStaleSiblings } from './temporary-paths.js';

const newDir = tempDirs('temporaries');
/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('temporary siblings', () => {
  test('names carry this process id and a random tag, beside the target', () => {
    const { temporary, previous } = siblingsOf('/some/where/model');
    expect(temporary).toMatch(new RegExp(`^/some/where/\\.model\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(previous).toBe(temporary.replace(/\.tmp$/, '.old'));
  });

  test('the sweep removes what dead writers left, restores a previous folder a swap took away, and keeps live writers\' files', () => {
    const dir = newDir();
    const target = join(dir, 'model');
    const dead = deadPid();
    mkdirSync(join(dir, `.model.${dead}.0000aaaa.tmp`));
    mkdirSync(join(dir, `.model.${dead}.0000bbbb.old`));
    writeFileSync(join(dir, `.model.${dead}.0000bbbb.old`, 'kept.txt'), 'previous');
    writeFileSync(join(dir, `.model.${dead}.0000bbbb.tmp`), 'half');
    writeFileSync(join(dir, `.model.${process.ppid}.0000cccc.tmp`), 'a live writer');
    writeFileSync(join(dir, `.other.${dead}.0000dddd.tmp`), 'another target');
    writeFileSync(join(dir, `.model.${dead}.tmp`), 'not our pattern');
    expect(sweepStaleSiblings(target).sort()).toEqual([`.model.${dead}.0000aaaa.tmp`, `.model.${dead}.0000bbbb.old`, `.model.${dead}.0000bbbb.tmp`]);
    expect(readdirSync(dir).sort()).toEqual([`.model.${dead}.tmp`, `.model.${process.ppid}.0000cccc.tmp`, `.other.${dead}.0000dddd.tmp`, 'model'].sort());
    expect(readFileSync(join(target, 'kept.txt'), 'utf8')).toBe('previous');
  });

  test('a previous copy is dropped when the target is in place (killed after the swap)', () => {
    const dir = newDir();
    const target = join(dir, 'model');
    mkdirSync(target);
    mkdirSync(join(dir, `.model.${deadPid()}.0000aaaa.old`));
    sweepStaleSiblings(target);
    expect(readdirSync(dir)).toEqual(['model']);
  });

  test('this process id counts as stale unless held (ids repeat, e.g. pid 1 in containers)', () => {
    const dir = newDir();
    const target = join(dir, 'c.safetensors');
    const held = siblingsOf(target);
    writeFileSync(held.temporary, 'in flight');
    writeFileSync(join(dir, `.c.safetensors.${process.pid}.0000aaaa.tmp`), 'left by an earlier process');
    const release = holdSiblings(target, held);
    expect(sweepStaleSiblings(target)).toEqual([`.c.safetensors.${process.pid}.0000aaaa.tmp`]);
    expect(readdirSync(dir)).toEqual([held.temporary.slice(dir.length + 1)]);
    release();
    expect(sweepStaleSiblings(target)).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('settleHeldSync (the signal handler) undoes every held write: temporaries removed, a moved folder put back', () => {
    const dir = newDir();
    const target = join(dir, 'model');
    const s = siblingsOf(target);
    mkdirSync(s.temporary);
    mkdirSync(s.previous);
    writeFileSync(join(s.previous, 'kept.txt'), 'previous');
    holdSiblings(target, s);
    settleHeldSync();
    expect(readdirSync(dir)).toEqual(['model']);
    expect(readdirSync(target)).toEqual(['kept.txt']);
  });
});
