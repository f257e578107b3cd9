// The inputs that overflowed the stack when their arrays were spread into call arguments: XLM-R's
// 250,002-token vocabulary (text-tokenizer.ts), a folder of 200,000 images (embed-inputs.ts) and a
// 200,000-step training log (training-plot.ts). A spread of that many arguments throws
// "Maximum call stack size exceeded" in Node 20; no-argument-spread.test.ts keeps the pattern out.
import { describe, expect, test } from 'vitest';
import { createTextTokenizer, loadEmbedder, type FitLogEntry } from '@twinembed/node';
import { imageFilesIn } from '../../packages/node/src/embed/embed-inputs.js';
import { trainingPlotSvg } from '../../packages/node/src/train/training-plot.js';
import { tempDirs } from '../support/temp-dirs.js';
import { toyEncoder, wordTokenizer, writeModelDir } from './toy-text-model.js';

const newDir = tempDirs('large-arrays');
const XLMR_VOCAB = 250_002;

describe('arrays of data size', () => {
  test('the premise: spreading 200,000 arguments overflows the stack here', () => {
    expect(() => Math.max(...new Array<number>(200_000).fill(1))).toThrow(RangeError);
  });

  test('a 250,002-piece vocabulary loads, and a text using its last id embeds', async () => {
    const json = wordTokenizer(XLMR_VOCAB);
    const tokenizer = createTextTokenizer({ json });
    expect(tokenizer.vocabSize).toBe(XLMR_VOCAB);
    expect(Array.from(tokenizer.encode(`w${XLMR_VOCAB - 1} w4`).ids)).toEqual([2, XLMR_VOCAB - 1, 4, 3]);
    const embedder = await loadEmbedder(writeModelDir(newDir(), toyEncoder(XLMR_VOCAB, 'bert'), json));
    expect(embedder.fused.vocabRows).toBe(XLMR_VOCAB);
    const [row] = await embedder.embed([`w${XLMR_VOCAB - 1} w4`]);
    expect(row!.length).toBe(4);
    expect(row!.every(Number.isFinite)).toBe(true);
    await embedder.dispose();
  });

  test('a folder listing of 200,000 images (and 1,000 other files) becomes 200,000 sorted paths', () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `img${String(199_999 - i).padStart(6, '0')}.${['png', 'JPG', 'jpeg'][i % 3]}`);
    for (let i = 0; i < 1000; i++) names.push(`notes${i}.txt`);
    const paths = imageFilesIn('/data', names);
    expect(paths).toHaveLength(200_000);
    expect([paths[0], paths[199_999]]).toEqual(['/data/img000000.JPG', '/data/img199999.png']);
  });

  test('a training plot of 200,000 logged steps draws its loss line', () => {
    const log: FitLogEntry[] = Array.from({ length: 200_000 }, (_, i) => ({ step: i + 1, loss: 2 - i / 200_000, lr: 1e-3, stepsPerSecond: 10, elapsedSeconds: i / 10 }));
    const svg = trainingPlotSvg(log, 'many steps');
    expect(svg.startsWith('<svg')).toBe(true);
    expect((svg.match(/<polyline/g) ?? []).length).toBeGreaterThanOrEqual(1);
  });
});
