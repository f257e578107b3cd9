// Snapshots on a real runtime: a restored classifier answers exactly as the one saved and keeps
// learning the same way; a corrupt part, another model or a foreign manifest is refused clearly.
import { expect, it } from 'vitest';
import type { Runtime } from '../runtime/runtime.js';
import { createOneShotClassifier, type OneShotClassifier } from './one-shot-classifier.js';
import { restoreOneShotClassifier } from './one-shot-restore.js';
import type { OneShotSnapshot } from './one-shot-snapshot.js';
import { classedImages, linearEmbedder } from './one-shot-fixtures.js';

const flipByte = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice();
  copy[at]! ^= 0x40;
  return copy;
};

async function enrolled(classifier: OneShotClassifier, images: Float32Array[]): Promise<void> {
  for (let c = 0; c < 4; c++) await classifier.enroll(`class ${c}`, images.slice(c * 3, c * 3 + 2));
}

export function runSnapshotConformance(runtime: () => Runtime): void {
  it.each(['cosine', 'euclidean'] as const)('a restored classifier (%s) gives identical results, and enrolls on as the original', async (metric) => {
    const embedder = await linearEmbedder(runtime());
    const { images } = classedImages(4, 3, 0.6, 21);
    const original = createOneShotClassifier({ embedder, metric });
    await enrolled(original, images);
    const snapshot = original.snapshot();
    expect(snapshot.manifest).toMatchObject({ format: 'twinembed-oneshot', version: 1, metric, model: { dim: 8, modality: 'image' } });
    expect(snapshot.manifest.labels).toEqual([0, 1, 2, 3].map((c) => ({ label: `class ${c}`, examples: 2 })));
    const restored = restoreOneShotClassifier({ embedder, snapshot });
    const queries = images.filter((_, i) => i % 3 === 2);
    expect(await restored.classify(queries, { k: 4 })).toEqual(await original.classify(queries, { k: 4 }));
    expect([restored.labels(), restored.metric, restored.index.backend]).toEqual([original.labels(), metric, 'flat']);
    await original.enroll('class 0', images[11]!);
    await restored.enroll('class 0', images[11]!);
    expect(await restored.classify(queries, { k: 4 })).toEqual(await original.classify(queries, { k: 4 }));
    expect(restored.snapshot()).toEqual(original.snapshot());
    await embedder.dispose();
  });

  it('a snapshot is refused when a part is corrupt or truncated, with the part named', async () => {
    const embedder = await linearEmbedder(runtime());
    const { images } = classedImages(4, 3, 0.6, 22);
    const classifier = createOneShotClassifier({ embedder });
    await enrolled(classifier, images);
    const good = classifier.snapshot();
    const restore = (snapshot: OneShotSnapshot) => () => restoreOneShotClassifier({ embedder, snapshot });
    const { index, examples } = good.manifest.parts;
    expect(restore({ ...good, examples: flipByte(good.examples, 17) })).toThrow(new RegExp(`^\\[twinembed:oneshot\\] cannot restore the one-shot classifier: checksum mismatch in the examples, expected CRC-32 ${examples.crc32}, got [0-9a-f]{8} \\(corrupt\\)$`));
    expect(restore({ ...good, index: flipByte(good.index, good.index.length - 3) })).toThrow(new RegExp(`checksum mismatch in the index, expected CRC-32 ${index.crc32}, got [0-9a-f]{8} \\(corrupt\\)$`));
    expect(restore({ ...good, index: good.index.subarray(0, 40) })).toThrow(new RegExp(`the index should be ${index.bytes} bytes, got 40 \\(truncated or corrupt\\)$`));
    expect(restore({ ...good, manifest: { ...good.manifest, version: 2 } })).toThrow(/^\[twinembed:oneshot\] cannot restore the one-shot classifier: expected format version 1, got 2$/);
    expect(restore({ ...good, manifest: { ...good.manifest, format: 'twinembed-index' as 'twinembed-oneshot' } })).toThrow(/expected a manifest with format "twinembed-oneshot", got "twinembed-index"$/);
    const relabelled = { ...good.manifest, labels: good.manifest.labels.map((l, i) => (i === 0 ? { ...l, label: 'renamed' } : l)) };
    expect(restore({ ...good, manifest: relabelled })).toThrow(/expected its index to hold the 4 labels of its manifest, got 4 other ids$/);
    await embedder.dispose();
  });

  it('a snapshot made with one model is refused by another, saying which each is', async () => {
    const [embedder, otherWeights, otherWidth] = await Promise.all([linearEmbedder(runtime()), linearEmbedder(runtime(), 4), linearEmbedder(runtime(), 3, 6)]);
    const { images } = classedImages(4, 3, 0.6, 23);
    const classifier = createOneShotClassifier({ embedder });
    await enrolled(classifier, images);
    const snapshot = classifier.snapshot();
    const { crc32, bytes } = snapshot.manifest.model;
    const saved = `a 8-d image model \\(fused ONNX ${bytes} bytes, CRC-32 ${crc32}\\)`;
    expect(() => restoreOneShotClassifier({ embedder: otherWeights, snapshot })).toThrow(new RegExp(`^\\[twinembed:oneshot\\] cannot restore the one-shot classifier: its examples were embedded by ${saved}, but this embedder is a 8-d image model \\(fused ONNX ${bytes} bytes, CRC-32 (?!${crc32})[0-9a-f]{8}\\): load the model it was saved with, or enroll the examples again$`));
    expect(() => restoreOneShotClassifier({ embedder: otherWidth, snapshot })).toThrow(new RegExp(`its examples were embedded by ${saved}, but this embedder is a 6-d image model`));
    await Promise.all([embedder, otherWeights, otherWidth].map((e) => e.dispose()));
  });
}
