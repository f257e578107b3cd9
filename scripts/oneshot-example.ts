// One-shot recognition with the default image model: enroll one drawing per class (by file path) in
// a one-shot classifier, recognise new drawings by the nearest class, and save the classifier.
// Needs .tmp/mnist (scripts/mnist-folder.ts). Run: pnpm exec tsx --conditions=@twinembed/source scripts/oneshot-example.ts
import { readdirSync } from 'node:fs';
import { createNodeOneShotClassifier, loadEmbedder, loadOneShotClassifier, saveOneShotClassifier } from '@twinembed/node';

const folder = (digit: number) => `.tmp/mnist/test/digit${digit}`;
const files = (digit: number) => readdirSync(folder(digit)).sort().map((f) => `${folder(digit)}/${f}`);
const embedder = await loadEmbedder('models/omniglot');
const classifier = createNodeOneShotClassifier({ embedder });
for (let digit = 0; digit < 10; digit++) await classifier.enroll(`digit${digit}`, files(digit)[0]!); // one example each

let right = 0;
for (let digit = 0; digit < 10; digit++) {
  const results = await classifier.classify(files(digit).slice(1, 21));
  right += results.filter((r) => r.label === `digit${digit}`).length;
}
const { ranking } = await classifier.classify(files(7)[1]!, { k: 3 });
console.log(`nearest to a new 7: ${ranking.map((r) => `${r.label} (${r.distance.toFixed(3)})`).join(', ')}`);
console.log(`10-way one-shot, one fixed example per digit: ${right}/200 new drawings recognised`);

await saveOneShotClassifier(classifier, '.tmp/digits-classifier'); // oneshot.json, index.twix, examples.f32
const loaded = await loadOneShotClassifier('.tmp/digits-classifier', { embedder });
console.log(`reloaded: ${loaded.labels().length} labels, nearest to the same 7: ${(await loaded.classify(files(7)[1]!)).label}`);
await embedder.dispose();
