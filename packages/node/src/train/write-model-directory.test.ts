import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { OUTPUT_MARKER } from '../output-path.js';
import { checkOutputPath, writeModelDirectory } from './write-model-directory.js';

const newDir = tempDirs('model-dir');

describe('writeModelDirectory', () => {
  test('writes bytes, JSON and the marker; a second write replaces its own folder and leaves no temporary beside it', async () => {
    const parent = newDir();
    const out = join(parent, 'model');
    await writeModelDirectory(out, { 'old.bin': Uint8Array.of(9) });
    await writeModelDirectory(out, { 'model.onnx': Uint8Array.of(1, 2, 3), 'report.json': { steps: 2 } });
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'model.onnx', 'report.json']);
    expect([...readFileSync(join(out, 'model.onnx'))]).toEqual([1, 2, 3]);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual({ steps: 2 });
    expect(JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8'))).toEqual({ twinembed: 1, command: 'writeModelDirectory', files: ['model.onnx', 'report.json'] });
    expect(readdirSync(parent)).toEqual(['model']);
  });

  test('a folder it did not write is refused, untouched, unless overwrite', async () => {
    const parent = newDir();
    const out = join(parent, 'model');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await expect(writeModelDirectory(out, { 'model.onnx': Uint8Array.of(1) })).rejects.toThrow(
      /^\[twinembed:io\] cannot write the model into ".*model": expected a new or empty folder, or one twinembed wrote, got a folder with 1 entry twinembed did not write \(notes.txt\); pass --overwrite to replace it$/,
    );
    expect(readdirSync(out)).toEqual(['notes.txt']);
    await writeModelDirectory(out, { 'model.onnx': Uint8Array.of(1) }, { overwrite: true });
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'model.onnx']);
  });

  test('a file that cannot be written leaves --out as it was', async () => {
    const parent = newDir();
    const out = join(parent, 'model');
    await writeModelDirectory(out, { 'kept.txt': new TextEncoder().encode('kept') });
    await expect(writeModelDirectory(out, { 'no/such/sub/file': Uint8Array.of(1) })).rejects.toThrow(/^\[twinembed:io\] cannot write the model into ".*model": /);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'kept.txt']);
    expect(readdirSync(parent)).toEqual(['model']);
  });

  test('checkOutputPath refuses a missing parent, an existing file and an input, and writes nothing', async () => {
    const parent = newDir();
    await expect(checkOutputPath(join(parent, 'a', 'b'))).rejects.toThrow(/expected its parent folder ".*a" to exist, got nothing/);
    writeFileSync(join(parent, 'file'), '');
    await expect(checkOutputPath(join(parent, 'file'))).rejects.toThrow(/expected a folder \(or a new path\), got a file/);
    await expect(checkOutputPath(parent, { inputs: { data: join(parent, 'file') } })).rejects.toThrow(/expected a folder that holds no input, got one that holds the data input ".*file"$/);
    await expect(checkOutputPath(join(parent, 'new'))).resolves.toBeUndefined();
    expect(existsSync(join(parent, 'new'))).toBe(false);
  });
});
