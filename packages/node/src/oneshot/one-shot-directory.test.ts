// Saved classifier directories: identical answers after loading, replaced whole, and refused when a
// file is corrupt, the model differs, or the path holds something else.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classedImages, linearEmbedder } from '../../../core/src/oneshot/one-shot-fixtures.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { createNodeIndex, loadHnswlibNode } from '../hnswlib-index.js';
import { nodeRuntime } from '../node-runtime.js';
import { createNodeOneShotClassifier } from './node-one-shot-classifier.js';
import { loadOneShotClassifier, saveOneShotClassifier } from './one-shot-directory.js';

const runtime = () => nodeRuntime({ intraOpNumThreads: 1 });
const tempDir = tempDirs('oneshot-dir');
const { images } = classedImages(4, 4, 0.6, 31);
const queries = images.filter((_, i) => i % 4 === 3);

async function saved(dir: string) {
  const embedder = await linearEmbedder(runtime());
  const classifier = createNodeOneShotClassifier({ embedder });
  for (let c = 0; c < 4; c++) await classifier.enroll(`class ${c}`, images.slice(c * 4, c * 4 + 3));
  await saveOneShotClassifier(classifier, dir);
  return { embedder, classifier };
}

describe('saveOneShotClassifier / loadOneShotClassifier', () => {
  it('round-trips: the same labels and identical classifications, three files and no leftovers', async () => {
    const dir = join(tempDir(), 'letters');
    const { embedder, classifier } = await saved(dir);
    expect(readdirSync(dir).sort()).toEqual(['examples.f32', 'index.twix', 'oneshot.json']);
    expect(readdirSync(join(dir, '..'))).toEqual(['letters']);
    const loaded = await loadOneShotClassifier(dir, { embedder });
    expect(loaded.labels()).toEqual(classifier.labels());
    expect(await loaded.classify(queries, { k: 4 })).toEqual(await classifier.classify(queries, { k: 4 }));
    // Saving again replaces the directory whole.
    loaded.remove('class 3');
    await saveOneShotClassifier(loaded, dir);
    expect((await loadOneShotClassifier(dir, { embedder })).labels()).toEqual(['class 0', 'class 1', 'class 2']);
    expect(readdirSync(join(dir, '..'))).toEqual(['letters']);
    await embedder.dispose();
  });

  it.skipIf(loadHnswlibNode() instanceof Error)('keeps an hnswlib index as hnswlib', async () => {
    const dir = join(tempDir(), 'hnswlib');
    const embedder = await linearEmbedder(runtime());
    const classifier = createNodeOneShotClassifier({ embedder, index: createNodeIndex({ backend: 'hnswlib', dim: embedder.dim, metric: 'cosine' }).index });
    for (let c = 0; c < 4; c++) await classifier.enroll(`class ${c}`, images[c * 4]!);
    await saveOneShotClassifier(classifier, dir);
    const loaded = await loadOneShotClassifier(dir, { embedder });
    expect(loaded.index.backend).toBe('hnswlib');
    expect(await loaded.classify(queries)).toEqual(await classifier.classify(queries));
    await embedder.dispose();
  });

  it('refuses a corrupt or truncated file, a missing one, and a manifest that is not JSON', async () => {
    const dir = join(tempDir(), 'broken');
    const { embedder } = await saved(dir);
    const examples = readFileSync(join(dir, 'examples.f32'));
    const flipped = Buffer.from(examples);
    flipped[5]! ^= 0x10;
    writeFileSync(join(dir, 'examples.f32'), flipped);
    await expect(loadOneShotClassifier(dir, { embedder })).rejects.toThrow(new RegExp(`^\\[twinembed:oneshot\\] cannot load the one-shot classifier ".*broken": checksum mismatch in the examples, expected CRC-32 [0-9a-f]{8}, got [0-9a-f]{8} \\(corrupt\\)$`));
    writeFileSync(join(dir, 'examples.f32'), examples);
    const index = readFileSync(join(dir, 'index.twix'));
    writeFileSync(join(dir, 'index.twix'), index.subarray(0, index.length - 8));
    await expect(loadOneShotClassifier(dir, { embedder })).rejects.toThrow(`the index should be ${index.length} bytes, got ${index.length - 8} (truncated or corrupt)`);
    writeFileSync(join(dir, 'oneshot.json'), '{"format": "twinembed-oneshot",');
    await expect(loadOneShotClassifier(dir, { embedder })).rejects.toThrow(/^\[twinembed:oneshot\] cannot load the one-shot classifier ".*broken": oneshot.json is not JSON \(/);
    await expect(loadOneShotClassifier(join(dir, '..', 'absent'), { embedder })).rejects.toThrow(/cannot load the one-shot classifier ".*absent": cannot read oneshot.json \(no such file: not a saved classifier\?\)$/);
    await embedder.dispose();
  });

  it('refuses to load with a different model, naming both', async () => {
    const dir = join(tempDir(), 'model');
    const { embedder } = await saved(dir);
    const other = await linearEmbedder(runtime(), 9);
    await expect(loadOneShotClassifier(dir, { embedder: other })).rejects.toThrow(/^\[twinembed:oneshot\] cannot load the one-shot classifier ".*model": its examples were embedded by a 8-d image model \(fused ONNX \d+ bytes, CRC-32 ([0-9a-f]{8})\), but this embedder is a 8-d image model \(fused ONNX \d+ bytes, CRC-32 (?!\1)[0-9a-f]{8}\): load the model it was saved with, or enroll the examples again$/);
    await Promise.all([embedder.dispose(), other.dispose()]);
  });

  it('never replaces a file or a directory that is not a saved classifier', async () => {
    const root = tempDir();
    const embedder = await linearEmbedder(runtime());
    const classifier = createNodeOneShotClassifier({ embedder });
    await classifier.enroll('a', images[0]!);
    mkdirSync(join(root, 'photos'));
    writeFileSync(join(root, 'photos', 'keep.txt'), 'mine');
    writeFileSync(join(root, 'notes.txt'), 'mine too');
    await expect(saveOneShotClassifier(classifier, join(root, 'photos'))).rejects.toThrow(/^\[twinembed:oneshot\] cannot save the one-shot classifier to ".*photos": expected a new path or a directory it saved before, got a directory without oneshot.json \(left as it is\)$/);
    await expect(saveOneShotClassifier(classifier, join(root, 'notes.txt'))).rejects.toThrow(/got a file \(left as it is\)$/);
    expect([readFileSync(join(root, 'photos', 'keep.txt'), 'utf8'), readFileSync(join(root, 'notes.txt'), 'utf8')]).toEqual(['mine', 'mine too']);
    expect(readdirSync(root).sort()).toEqual(['notes.txt', 'photos']);
    expect(existsSync(join(root, 'photos', 'oneshot.json'))).toBe(false);
    await embedder.dispose();
  });
});
