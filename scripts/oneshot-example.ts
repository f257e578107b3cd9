// One-shot recognition with the default image model: enroll one drawing per class, then recognise
// new drawings by their nearest enrolled embedding. Needs .tmp/mnist (scripts/mnist-folder.ts).
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/oneshot-example.ts
import { readdirSync } from 'node:fs';
import { createIndex, decodeImageFile, loadEmbedder } from '@twinembed/node';

const folder = (digit: number) => `.tmp/mnist/test/digit${digit}`;
const files = (digit: number) => readdirSync(folder(digit)).sort().map((f) => `${folder(digit)}/${f}`);
const embedder = await loadEmbedder('models/omniglot');
const embed = async (file: string) => (await embedder.embed([await decodeImageFile(file)]))[0]!;

const index = createIndex({ backend: 'flat', dim: embedder.dim, metric: 'cosine' });
for (let digit = 0; digit < 10; digit++) index.add([`digit${digit}`], [await embed(files(digit)[0]!)]); // one example each

let right = 0;
for (let digit = 0; digit < 10; digit++) {
  for (const file of files(digit).slice(1, 21)) if (index.search(await embed(file), 1).ids[0] === `digit${digit}`) right++;
}
const { ids, distances } = index.search(await embed(files(7)[1]!), 3);
console.log(`nearest to a new 7: ${ids.map((id, i) => `${id} (${distances[i]!.toFixed(3)})`).join(', ')}`);
console.log(`10-way one-shot, one fixed example per digit: ${right}/200 new drawings recognised`);
await embedder.dispose();
