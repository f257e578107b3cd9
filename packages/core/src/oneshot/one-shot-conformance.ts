// The one-shot classifier's behaviour on a real runtime (run from @twinembed/node on the CPU and from
// @twinembed/web on wasm): it classifies exactly as scoreEpisodes scores the same episodes, ranks
// by prototype distance, resizes rasters, refuses bad input with one error each, and restores.
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../embed/create-embedder.js';
import { oneShotEpisodes } from '../eval/one-shot-episodes.js';
import { scoreEpisodes } from '../eval/score-episodes.js';
import type { Runtime } from '../runtime/runtime.js';
import { createIndex } from '../vector-index/create-index.js';
import { createOneShotClassifier } from './one-shot-classifier.js';
import { blockRaster, classedImages, cosineDistance, linearEmbedder, meanOf } from './one-shot-fixtures.js';
import { runSnapshotConformance } from './snapshot-conformance.js';

/** Per-episode accuracy of classifiers enrolled with each episode's supports (the classifier's own answer). */
async function classifierAccuracies(embedder: Embedder, images: Float32Array[], metric: 'cosine' | 'euclidean', episodes: ReturnType<typeof oneShotEpisodes>, shots: number): Promise<number[]> {
  const out: number[] = [];
  for (const episode of episodes) {
    const classifier = createOneShotClassifier({ embedder, metric });
    for (let c = 0; c < episode.classes.length; c++) {
      await classifier.enroll(`class ${c}`, Array.from(episode.support.subarray(c * shots, (c + 1) * shots), (i) => images[i]!));
    }
    const results = await classifier.classify(Array.from(episode.query, (i) => images[i]!));
    out.push(results.filter((r, c) => r.label === `class ${c}`).length / episode.classes.length);
  }
  return out;
}

export function runOneShotConformance(name: string, runtime: () => Runtime): void {
  describe(`${name}: one-shot classifier`, () => {
    it.each([[1, 'cosine'], [3, 'cosine'], [3, 'euclidean']] as const)('%i-shot, %s: the same per-episode accuracy as scoreEpisodes (eval oneshot)', async (shots, metric) => {
      const embedder = await linearEmbedder(runtime());
      const { images, labels } = classedImages(12, 6, 0.6, 5);
      const episodes = oneShotEpisodes({ labels, ways: 5, shots, episodes: 25, withinGroup: false, seed: 11 });
      const expected = scoreEpisodes(episodes, { data: await embedder.embedMatrix(images), dim: embedder.dim }, { metric });
      const found = await classifierAccuracies(embedder, images, metric, episodes, shots);
      expect(found).toEqual(Array.from(expected.episodeAccuracies));
      // The noise makes some queries wrong: an agreement on all-right episodes alone would prove little.
      expect(expected.accuracy).toBeGreaterThan(0.3);
      expect(expected.accuracy).toBeLessThan(0.95);
      await embedder.dispose();
    });

    it('an enrolled image comes back at distance 0, its label first; the ranking is sorted and k long', async () => {
      const embedder = await linearEmbedder(runtime());
      const { images } = classedImages(6, 1, 0, 2);
      const classifier = createOneShotClassifier({ embedder });
      for (let c = 0; c < 6; c++) expect(await classifier.enroll(`c${c}`, images[c]!)).toBe(1);
      const results = await classifier.classify(images, { k: 4 });
      results.forEach((r, c) => {
        expect(r.label).toBe(`c${c}`);
        expect(Math.abs(r.distance)).toBeLessThan(1e-6); // 1 − cos of a unit vector with itself in float32
        expect(r.ranking).toHaveLength(4);
        expect(r.ranking[0]).toEqual({ label: r.label, distance: r.distance });
        for (let i = 1; i < 4; i++) expect(r.ranking[i]!.distance).toBeGreaterThanOrEqual(r.ranking[i - 1]!.distance);
      });
      expect((await classifier.classify(images[0]!, { k: 50 })).ranking).toHaveLength(6);
      await embedder.dispose();
    });

    it('re-enrolling adds examples: the prototype is their mean, the distance 1 − cos to it', async () => {
      const embedder = await linearEmbedder(runtime());
      const { images } = classedImages(3, 3, 0.5, 8);
      const classifier = createOneShotClassifier({ embedder });
      expect(await classifier.enroll('a', [images[0]!, images[1]!])).toBe(2);
      expect(await classifier.enroll('a', images[2]!)).toBe(3);
      await classifier.enroll('b', images.slice(3, 6));
      expect([classifier.labels(), classifier.examples('a'), classifier.examples('zzz')]).toEqual([['a', 'b'], 3, 0]);
      const rows = await embedder.embed(images.slice(0, 6));
      const query = (await embedder.embed([images[7]!]))[0]!;
      const { ranking } = await classifier.classify(images[7]!, { k: 2 });
      const byLabel = Object.fromEntries(ranking.map((r) => [r.label, r.distance]));
      // float32 sums and normalization against a float64 oracle: ~1e-7 per step over 8 dims.
      expect(byLabel.a).toBeCloseTo(cosineDistance(query, meanOf(rows.slice(0, 3))), 5);
      expect(byLabel.b).toBeCloseTo(cosineDistance(query, meanOf(rows.slice(3, 6))), 5);
      await embedder.dispose();
    });

    it('remove forgets a label; the others still classify', async () => {
      const embedder = await linearEmbedder(runtime());
      const { images } = classedImages(3, 1, 0, 4);
      const classifier = createOneShotClassifier({ embedder });
      for (const [i, label] of ['x', 'y', 'z'].entries()) await classifier.enroll(label, images[i]!);
      classifier.remove('y');
      expect(classifier.labels()).toEqual(['x', 'z']);
      const { ranking } = await classifier.classify(images[1]!, { k: 3 });
      expect(ranking.map((r) => r.label).sort()).toEqual(['x', 'z']);
      expect(classifier.index.size).toBe(2);
      await embedder.dispose();
    });

    it('a decoded image of another size is resized to the model input, as the manifest says', async () => {
      const embedder = await linearEmbedder(runtime());
      const pixels = Uint8Array.from({ length: 16 }, (_, i) => (i * 37) % 256);
      const classifier = createOneShotClassifier({ embedder });
      await classifier.enroll('small', blockRaster(pixels, 1));
      await classifier.enroll('other', blockRaster(pixels.map((v) => 255 - v), 1));
      // Each pixel repeated 2×2 (or 5×5): bilinear sampling at half-pixel centres lands between equal pixels.
      for (const scale of [2, 5]) {
        const found = await classifier.classify(blockRaster(pixels, scale));
        expect(found.label).toBe('small');
        expect(Math.abs(found.distance)).toBeLessThan(1e-6);
      }
      await embedder.dispose();
    });

    it('any index of the embedder\'s width and metric cosine or l2 holds the prototypes (hnsw here)', async () => {
      const embedder = await linearEmbedder(runtime());
      const { images } = classedImages(5, 1, 0, 6);
      const classifier = createOneShotClassifier({ embedder, index: createIndex({ backend: 'hnsw', dim: embedder.dim, metric: 'l2' }) });
      expect(classifier.metric).toBe('euclidean');
      for (let c = 0; c < 5; c++) await classifier.enroll(`c${c}`, images[c]!);
      expect((await classifier.classify(images)).map((r) => r.label)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
      await embedder.dispose();
    });

    runBadInputConformance(runtime);
    runSnapshotConformance(runtime);
  });
}

function runBadInputConformance(runtime: () => Runtime): void {
  it('bad input: one clear error each, and nothing changes', async () => {
    const embedder = await linearEmbedder(runtime());
    const { images } = classedImages(2, 1, 0, 1);
    const classifier = createOneShotClassifier({ embedder });
    await expect(classifier.classify(images[0]!)).rejects.toThrow(/^\[twinembed:oneshot\] classify: expected at least one enrolled label, got none \(enroll examples first\)$/);
    await expect(classifier.enroll('', images[0]!)).rejects.toThrow(/^\[twinembed:oneshot\] enroll: expected a non-empty label, got ""$/);
    await expect(classifier.enroll('  ', images[0]!)).rejects.toThrow(/^\[twinembed:oneshot\] enroll: expected a non-empty label, got " {2}"$/);
    await expect(classifier.enroll('a', [images[0]!, new Float32Array(9)])).rejects.toThrow(/^\[twinembed:oneshot\] enroll "a", input 1: expected 16 floats \(1×4×4, preprocessed as the model's manifest says\), got 9: pass the decoded image \(a RasterImage\) instead and it is resized to 4×4$/);
    await expect(classifier.enroll('a', 'a drawing of a cat')).rejects.toThrow(/^\[twinembed:oneshot\] enroll "a", the input: expected an image for this image model \(a decoded RasterImage, any size, or 16 preprocessed floats\), got string$/);
    await expect(classifier.enroll('a', { data: new Uint8Array(5), width: 4, height: 4, channels: 1 })).rejects.toThrow(/^\[twinembed:oneshot\] enroll "a", the input: expected a 4×4×1 image to hold 16 bytes, got 5$/);
    await expect(classifier.enroll('a', [])).rejects.toThrow(/^\[twinembed:oneshot\] enroll "a": expected at least one input, got an empty list$/);
    expect(classifier.labels()).toEqual([]);
    await classifier.enroll('a', images[0]!);
    for (const k of [0, -1, 1.5]) await expect(classifier.classify(images[1]!, { k })).rejects.toThrow(new RegExp(`^\\[twinembed:oneshot\\] classify k: expected an integer ≥ 1 \\(how many labels to rank\\), got ${k}$`));
    expect(() => classifier.remove('b')).toThrow(/^\[twinembed:oneshot\] remove: expected an enrolled label, got "b" \(enrolled: "a"\)$/);
    expect(() => createOneShotClassifier({ embedder, index: createIndex({ backend: 'flat', dim: 8, metric: 'ip' }) })).toThrow(/^\[twinembed:oneshot\] index: expected metric cosine or l2 \(how eval oneshot compares prototypes\), got ip$/);
    expect(() => createOneShotClassifier({ embedder, index: createIndex({ dim: 3 }) })).toThrow(/^\[twinembed:oneshot\] index: expected dim 8 \(the embedder's\), got 3$/);
    expect(() => createOneShotClassifier({ embedder, metric: 'euclidean', index: createIndex({ dim: 8, metric: 'cosine' }) })).toThrow(/^\[twinembed:oneshot\] index: expected metric l2 for metric "euclidean", got cosine$/);
    expect([classifier.labels(), classifier.examples('a')]).toEqual([['a'], 1]);
    await embedder.dispose();
  });
}
