// A text one-shot classifier comes free: the fixture BERT (bert-tiny-a) embeds the examples, strings
// stay texts in Node (never taken for file paths), and a saved directory answers identically.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { loadEmbedder } from '../embed/load-embedder.js';
import { createNodeOneShotClassifier } from './node-one-shot-classifier.js';
import { loadOneShotClassifier, saveOneShotClassifier } from './one-shot-directory.js';

const tempDir = tempDirs('oneshot-text');
const EXAMPLES: Record<string, string[]> = {
  weather: ['It will rain all afternoon.', 'A sunny and warm day is expected.'],
  cooking: ['Simmer the sauce for ten minutes.'],
  sport: ['The striker scored twice in the final.', 'She won the marathon in record time.'],
};

describe.skipIf(!hasShared)(`text examples${hasShared ? '' : ' (skipped: ../shared/fixtures is absent)'}`, () => {
  it('an enrolled sentence is at distance 0 under its label; saved and loaded, the same rankings', async () => {
    const dir = tempDir();
    copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'model.dynamo.onnx'), join(dir, 'model.onnx'));
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(sharedPath('fixtures', 'bert-tiny-a', 'hf', f), join(dir, f));
    const embedder = await loadEmbedder(dir, { runtimeOptions: { intraOpNumThreads: 1 } });
    const classifier = createNodeOneShotClassifier({ embedder });
    for (const [label, texts] of Object.entries(EXAMPLES)) await classifier.enroll(label, texts);
    const found = await classifier.classify('Simmer the sauce for ten minutes.', { k: 3 });
    expect(found.label).toBe('cooking');
    expect(Math.abs(found.distance)).toBeLessThan(1e-6);
    await saveOneShotClassifier(classifier, join(dir, 'topics'));
    const loaded = await loadOneShotClassifier(join(dir, 'topics'), { embedder });
    const queries = ['Clouds are gathering over the hills.', 'Bake the bread at high heat.', 'The team lost the match.'];
    expect(await loaded.classify(queries, { k: 3 })).toEqual(await classifier.classify(queries, { k: 3 }));
    await expect(loaded.enroll('pixels', new Float32Array(4))).rejects.toThrow('[twinembed:oneshot] enroll "pixels", the input: expected a text (or token ids) for this text model, got a Float32Array of 4');
    await embedder.dispose();
  });
});
