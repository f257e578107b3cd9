// The import against its original: the float32 rebuild of Universal Sentence Encoder lite (the
// graph models/text stores as int8) run by onnxruntime-node vs the TF.js model run by its own
// package, on 244 varied texts, batched and one by one: max |difference| ≤ 1e-5 (float32 rounding
// of the same arithmetic in another order is ~1e-7; a wrong op or constant is ~1e-2). Then the
// shipped int8 directory: exactly what the import script makes, close to float32, and identical
// once its DequantizeLinear nodes are folded (what finetune trains).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder, createTextTokenizer, decodeModel, encodeModel, foldDequantizeLinear, loadEmbedder, loadModelDirectory, nodeRuntime, type Embedder } from '@twinembed/node';
import { textModelFiles } from '../scripts/lib/text-model.js';
import { REPO_ROOT } from './support/paths.js';
import { tempDirs } from './support/temp-dirs.js';
import { hasUseLitePackage, loadPackageModel, type PackageModel } from './support/use-lite-package.js';
import { ORACLE_TEXTS } from './support/use-lite-texts.js';

const SHIPPED = join(REPO_ROOT, 'models', 'text');
const TOLERANCE = 1e-5;
const newDir = tempDirs('text-oracle');

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.skipIf(!hasUseLitePackage)('models/text against the TF.js original', () => {
  let pkg: PackageModel;
  let fp32: Embedder;
  let reference: number[][];
  let tokens: (text: string) => Int32Array;
  const sameIds = (text: string) => pkg.encode(text).slice(0, 128).join() === Array.from(tokens(text)).join();

  beforeAll(async () => {
    pkg = await loadPackageModel();
    const dir = newDir();
    for (const [name, bytes] of Object.entries(textModelFiles('float32'))) writeFileSync(join(dir, name), bytes);
    fp32 = await loadEmbedder(dir);
    const tokenizer = createTextTokenizer({ ...(await loadModelDirectory(dir)).tokenizer! });
    tokens = (text) => tokenizer.encode(text).ids;
    expect(ORACLE_TEXTS.length).toBeGreaterThanOrEqual(200);
    expect(ORACLE_TEXTS[ORACLE_TEXTS.length - 1]).not.toBe(''); // the package returns no row for trailing empty texts
    reference = await pkg.embed([...ORACLE_TEXTS]);
    expect(reference).toHaveLength(ORACLE_TEXTS.length);
  });

  it('embeds the texts as TF.js does, batched (length-sorted batches of 32) and one by one', async () => {
    const texts = ORACLE_TEXTS.filter(sameIds);
    expect(texts.length).toBe(ORACLE_TEXTS.length - 2); // ':-)' and the '!' tie tokenize differently (text-model-tokenizer.test.ts)
    const want = texts.map((t) => reference[ORACLE_TEXTS.indexOf(t)]!);
    const batched = await fp32.embed(texts);
    let worst = 0;
    for (let i = 0; i < texts.length; i++) {
      worst = Math.max(worst, maxAbsDiff(batched[i]!, want[i]!));
      const [alone] = await fp32.embed([texts[i]!]);
      worst = Math.max(worst, maxAbsDiff(alone!, want[i]!));
      if (texts[i] !== '') worst = Math.max(worst, maxAbsDiff(alone!, (await pkg.embed([texts[i]!]))[0]!)); // TF.js one by one too
    }
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  }, 300_000);

  it('embeds the package\'s own token ids as TF.js does where the tokenizers differ', async () => {
    const texts = ORACLE_TEXTS.filter((t) => !sameIds(t));
    const ours = await fp32.embed(texts.map((t) => ({ ids: pkg.encode(t) })));
    texts.forEach((t, i) => expect(maxAbsDiff(ours[i]!, reference[ORACLE_TEXTS.indexOf(t)]!)).toBeLessThanOrEqual(TOLERANCE));
  });

  it('ships exactly what scripts/import-text-model.ts makes, within 0.02 of float32, and folds to the same embeddings', async () => {
    for (const [name, bytes] of Object.entries(textModelFiles('int8'))) expect(readFileSync(join(SHIPPED, name)).equals(bytes), name).toBe(true);
    const shipped = await loadEmbedder(SHIPPED);
    const texts = ORACLE_TEXTS.slice(0, 64);
    const [int8, float] = [await shipped.embed(texts), await fp32.embed(texts)];
    expect(Math.max(...texts.map((_, i) => maxAbsDiff(int8[i]!, float[i]!)))).toBeLessThan(0.02); // int8 rounding: measured ≈ 0.01
    const files = await loadModelDirectory(SHIPPED);
    const folded = await createEmbedder({ runtime: nodeRuntime(), model: { ...files, onnx: encodeModel(foldDequantizeLinear(decodeModel(files.onnx))) } });
    const same = await folded.embed(texts);
    expect(Math.max(...texts.map((_, i) => maxAbsDiff(same[i]!, int8[i]!)))).toBeLessThanOrEqual(1e-6);
  });
});
