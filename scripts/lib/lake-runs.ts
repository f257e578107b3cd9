// Writes one-shot runs in exactly the layout of Lake et al.'s all_runs.zip (runNN/training/classNN.png,
// runNN/test/itemNN.png, runNN/class_labels.txt; 1-bit PNGs, dark strokes on white) from a background-style
// folder <Alphabet>/characterNN/<drawer>.png, so `eval oneshot --runs` can be tested and measured here.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { decodeImageFile, encodePng, matchInk, seededRandom, shuffleInPlace, type Ink, type RasterImage } from '@twinembed/node';

export interface WriteLakeRunsOptions {
  /** <Alphabet>/characterNN/<drawer>.png, e.g. ../shared/data/omniglot105/background. */
  from: string;
  /** The folder to hold run01, run02, … */
  to: string;
  /** The polarity of the source images (omniglot105 and omniglot28: 'light'). */
  sourceInk: Ink;
  /** The polarity written (default 'dark', as Lake's runs). */
  ink?: Ink;
  runs: number;
  /** Classes per run (default 20). */
  ways?: number;
  seed: number;
  /** Alphabets to draw from (default: all with ≥ ways characters). */
  alphabets?: readonly string[];
}

export interface WrittenRun {
  name: string;
  alphabet: string;
  /** Character folder of training/class{k+1}. */
  classes: string[];
  /** test/item{k+1} is a drawing of classes[answers[k]]. */
  answers: number[];
  trainingDrawer: string;
  testDrawer: string;
}

const two = (n: number) => String(n).padStart(2, '0');
const list = (dir: string) => readdirSync(dir).filter((n) => !n.startsWith('.')).sort();

/** One alphabet per run (cycling through a seeded order), `ways` of its characters, one drawer for training and another for test. */
export function chooseLakeRuns(options: WriteLakeRunsOptions): WrittenRun[] {
  const ways = options.ways ?? 20;
  const next = seededRandom(options.seed);
  const alphabets = (options.alphabets ?? list(options.from)).filter((a) => list(join(options.from, a)).length >= ways);
  if (alphabets.length === 0) throw new Error(`no alphabet in ${options.from} has ${ways} characters`);
  const order = shuffleInPlace([...alphabets], next);
  return Array.from({ length: options.runs }, (_, r) => {
    const alphabet = order[r % order.length]!;
    const classes = shuffleInPlace(list(join(options.from, alphabet)), next).slice(0, ways);
    const drawers = shuffleInPlace(list(join(options.from, alphabet, classes[0]!)), next);
    const answers = shuffleInPlace(Array.from({ length: ways }, (_, k) => k), next);
    return { name: `run${two(r + 1)}`, alphabet, classes, answers, trainingDrawer: drawers[0]!, testDrawer: drawers[1]! };
  });
}

/** Gray 0/255 pixels → a 1-bit grayscale PNG (bit 1 = white), the format of Lake's files. */
export function encodeBitmapPng(gray: Uint8Array, width: number, height: number): Uint8Array {
  const stride = Math.ceil(width / 8);
  const raw = Buffer.alloc((stride + 1) * height); // each row: filter type 0, then packed bits, MSB first
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (gray[y * width + x]! >= 128) raw[y * (stride + 1) + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, adaptive filtering, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The source drawing in the written polarity: 1-bit when it holds only black and white (as Omniglot's), else 8-bit gray. */
async function copyDrawing(source: string, target: string, options: WriteLakeRunsOptions): Promise<void> {
  const decoded = matchInk(await decodeImageFile(source), { ink: options.sourceInk, modelInk: options.ink ?? 'dark' });
  const gray = Uint8Array.from({ length: decoded.width * decoded.height }, (_, i) => decoded.data[i * decoded.channels]!);
  const binary = gray.every((v) => v === 0 || v === 255);
  const image: RasterImage = { data: gray, width: decoded.width, height: decoded.height, channels: 1 };
  writeFileSync(target, binary ? encodeBitmapPng(gray, image.width, image.height) : encodePng(image));
}

export async function writeLakeRuns(options: WriteLakeRunsOptions): Promise<WrittenRun[]> {
  const runs = chooseLakeRuns(options);
  for (const run of runs) {
    const dir = join(options.to, run.name);
    mkdirSync(join(dir, 'training'), { recursive: true });
    mkdirSync(join(dir, 'test'), { recursive: true });
    const drawing = (k: number, drawer: string) => join(options.from, run.alphabet, run.classes[k]!, drawer);
    for (let k = 0; k < run.classes.length; k++) {
      await copyDrawing(drawing(k, run.trainingDrawer), join(dir, 'training', `class${two(k + 1)}.png`), options);
      await copyDrawing(drawing(run.answers[k]!, run.testDrawer), join(dir, 'test', `item${two(k + 1)}.png`), options);
    }
    const lines = run.answers.map((c, k) => `${run.name}/test/item${two(k + 1)}.png ${run.name}/training/class${two(c + 1)}.png\n`);
    writeFileSync(join(dir, 'class_labels.txt'), lines.join(''));
  }
  return runs;
}
