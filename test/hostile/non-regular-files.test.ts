// Paths that are not regular files where twinembed expects one: /dev/zero (read forever before),
// FIFOs (an open for reading waited for a writer), directories (a raw EISDIR), and files past a
// format's natural size. Each is refused with one line and exit 2 before a byte is read; the CLI
// runs in a child process, so a hang fails by its timeout instead of stalling the test run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { encodeModel, GraphBuilder, loadModelDirectory, TwinembedError } from '@twinembed/node';
import { readRegularFile } from '../../packages/node/src/read-regular-file.js';
import { tempDirs } from '../support/temp-dirs.js';
import { runCliProcess, toyEncoder, wordTokenizer, writeModelDir, type ProcessRun } from './toy-text-model.js';

const newDir = tempDirs('non-regular');
const fifo = (dir: string, name: string) => {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
};
const canMkfifo = (() => {
  try {
    fifo(newDir(), 'probe');
    return true;
  } catch {
    return false;
  }
})();

function expectOneLine(run: ProcessRun, pattern: RegExp): void {
  expect({ code: run.code, lines: run.stderr.trimEnd().split('\n').length }).toEqual({ code: 2, lines: 1 });
  expect(run.stderr).toMatch(pattern);
}

/** A model whose one initializer keeps its data in `location` (external data), beside model.onnx. */
function externalModel(dir: string, location: string): string {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 2]);
  const w = b.initializer('w', new Float32Array([1, 2]), [1, 2]);
  b.output(b.op.Mul(x, w), 'embedding');
  const model = b.toModel();
  const tensor = model.graph!.initializer![0]!;
  Object.assign(tensor, { rawData: undefined, dataLocation: 1, externalData: [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: '8' }] });
  writeFileSync(join(dir, 'model.onnx'), encodeModel(model));
  return dir;
}

describe('the CLI refuses what is not a regular file', () => {
  test('twinembed info /dev/zero: one line, at once', () => {
    const started = performance.now();
    expectOneLine(runCliProcess(['info', '/dev/zero'], 30_000), /^\[twinembed:io\] cannot read "\/dev\/zero": expected a regular file, got a character device\n$/);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  test('an external-data location that is a folder', () => {
    const dir = externalModel(newDir(), 'weights');
    mkdirSync(join(dir, 'weights'));
    expectOneLine(runCliProcess(['embed', '--model', dir, '--text', 'a']), /^\[twinembed:io\] cannot read external data "weights" at ".*weights": expected a regular file, got a directory\n$/);
  });

  test.skipIf(!canMkfifo)('a FIFO as model.onnx, tokenizer.json, twinembed.json, index, --input, --data and --vectors', () => {
    const dir = newDir();
    const model = writeModelDir(newDir(), toyEncoder(64, 'bert'), wordTokenizer(64));
    const fifoTokenizer = newDir();
    writeFileSync(join(fifoTokenizer, 'model.onnx'), toyEncoder(64, 'bert'));
    fifo(fifoTokenizer, 'tokenizer.json');
    const fifoManifest = writeModelDir(newDir(), toyEncoder(64, 'bert'), wordTokenizer(64));
    fifo(fifoManifest, 'twinembed.json');
    const cases: [string[], string][] = [
      [['info', fifo(dir, 'model.onnx')], 'model.onnx'],
      [['embed', '--model', fifoTokenizer, '--text', 'w4'], 'tokenizer.json'],
      [['embed', '--model', fifoManifest, '--text', 'w4', '--out', join(dir, 'e.json')], 'twinembed.json'],
      [['search', '--index', fifo(dir, 'index.twinembed'), '--query-vectors', fifo(dir, 'q.npy')], 'index.twinembed'],
      [['embed', '--model', model, '--input', fifo(dir, 'texts.txt')], 'texts.txt'],
      [['finetune', '--model', model, '--data', fifo(dir, 'pairs.jsonl'), '--loss', 'CosineSimilarityLoss', '--optimizer', 'sgd', '--steps', '1', '--out', join(dir, 'out')], 'pairs.jsonl'],
      [['index', 'build', '--vectors', fifo(dir, 'rows.npy'), '--out', join(dir, 'idx')], 'rows.npy'],
    ];
    for (const [args, name] of cases) {
      const run = runCliProcess(args, 30_000);
      expect({ args: args.slice(0, 2), code: run.code, lines: run.stderr.trimEnd().split('\n').length }).toEqual({ args: args.slice(0, 2), code: 2, lines: 1 });
      expect(run.stderr).toMatch(new RegExp(`cannot read (index )?".*${name.replace('.', '\\.')}": expected a regular file, got a FIFO \\(named pipe\\)\\n$`));
    }
  });
});

describe('files past a format\'s natural bound are refused before they are read', () => {
  // Sparse files: their size is what the file system reports, with nothing written.
  test('a 600 MiB tokenizer.json (the largest real ones are tens of MB)', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'model.onnx'), toyEncoder(64, 'bert'));
    writeFileSync(join(dir, 'tokenizer.json'), '');
    truncateSync(join(dir, 'tokenizer.json'), 600 * 2 ** 20);
    await expect(loadModelDirectory(dir)).rejects.toThrow(/^\[twinembed:io\] cannot read ".*tokenizer\.json": expected at most 268,435,456 bytes, got 629,145,600$/);
  });

  test('a model.onnx over protobuf\'s 2 GiB', () => {
    const path = join(newDir(), 'model.onnx');
    writeFileSync(path, '');
    truncateSync(path, 2 ** 31 + 1);
    expectOneLine(runCliProcess(['info', path]), /^\[twinembed:io\] cannot read ".*model\.onnx": expected at most 2,147,483,648 bytes, got 2,147,483,649\n$/);
  });
});

describe('readRegularFile', () => {
  test('a directory, a device and a missing file are TwinembedErrors naming what the path is', async () => {
    const dir = newDir();
    await expect(readRegularFile(dir)).rejects.toThrow(new TwinembedError('io', `cannot read "${dir}": expected a regular file, got a directory`));
    await expect(readRegularFile('/dev/null', { what: 'index' })).rejects.toThrow('[twinembed:io] cannot read index "/dev/null": expected a regular file, got a character device');
    await expect(readRegularFile(join(dir, 'none'))).rejects.toThrow(`[twinembed:io] cannot read "${join(dir, 'none')}": no such file or directory`);
  });

  test('a regular file comes back whole', async () => {
    const path = join(newDir(), 'bytes.bin');
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 255);
    writeFileSync(path, bytes);
    expect(await readRegularFile(path, { maxBytes: 100_000 })).toEqual(bytes);
    await expect(readRegularFile(path, { maxBytes: 99_999 })).rejects.toThrow('expected at most 99,999 bytes, got 100,000');
  });
});
