import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { checkOutputPath, writeModelDirectory } from './write-model-directory.js';

const newDir = tempDirs('model-dir');

describe('writeModelDirectory', () => {
  test('writes bytes and JSON, replacing a previous folder and leaving no temporary beside it', async () => {
    const parent = newDir();
    const out = join(parent, 'model');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.txt'), 'old');
    await writeModelDirectory(out, { 'model.onnx': Uint8Array.of(1, 2, 3), 'report.json': { steps: 2 } });
    expect(readdirSync(out).sort()).toEqual(['model.onnx', 'report.json']);
    expect([...readFileSync(join(out, 'model.onnx'))]).toEqual([1, 2, 3]);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual({ steps: 2 });
    expect(readdirSync(parent)).toEqual(['model']);
  });

  test('a file that cannot be written leaves --out as it was', async () => {
    const parent = newDir();
    const out = join(parent, 'model');
    mkdirSync(out);
    writeFileSync(join(out, 'kept.txt'), 'kept');
    await expect(writeModelDirectory(out, { 'no/such/sub/file': Uint8Array.of(1) })).rejects.toThrow(/^\[twinembed:io\] cannot write the model into ".*model": /);
    expect(readdirSync(out)).toEqual(['kept.txt']);
    expect(readdirSync(parent)).toEqual(['model']);
  });

  test('checkOutputPath refuses a missing parent and an existing file', async () => {
    const parent = newDir();
    await expect(checkOutputPath(join(parent, 'a', 'b'))).rejects.toThrow(/expected its parent folder ".*a" to exist, got nothing/);
    writeFileSync(join(parent, 'file'), '');
    await expect(checkOutputPath(join(parent, 'file'))).rejects.toThrow(/expected a folder \(or a new path\), got a file/);
    await expect(checkOutputPath(join(parent, 'new'))).resolves.toBeUndefined();
    expect(existsSync(join(parent, 'new'))).toBe(false);
  });
});
