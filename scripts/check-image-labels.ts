// Do an image folder's labels mean anything? For a sample of images, the nearest other image by raw
// pixels (box-blurred 5×5, cosine) is found among all images; in a correctly labeled folder of
// handwritten characters it shares the query's class (and group) far more often than chance. A rate
// at chance means the images were assigned to folders independently of what they show.
// Run: pnpm exec tsx --conditions=@twinembed/source scripts/check-image-labels.ts --data DIR [--queries 300] [--seed 1]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadImageFolder, seededRandom } from '@twinembed/node';

const { values } = parseArgs({ options: { data: { type: 'string' }, queries: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' } } });
if (!values.data) throw new Error('usage: check-image-labels.ts --data DIR [--queries N] [--seed S]');
if (!existsSync(values.data)) {
  console.log(`skipped: no image folder at ${values.data}`);
  process.exit(0);
}
const folder = await loadImageFolder(values.data, { channels: 1 });
const { height: h, width: w } = folder.preprocessing;
const blurred = Array.from({ length: folder.count }, (_, i) => {
  const x = folder.images.subarray(i * h * w, (i + 1) * h * w);
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let c = 0; c < w; c++) {
    let s = 0;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) s += x[(y + dy) * w + c + dx] ?? 0;
    out[y * w + c] = s;
  }
  const norm = Math.hypot(...out) || 1;
  return out.map((v) => v / norm);
});
const rng = seededRandom(Number(values.seed));
const queries = Math.min(Number(values.queries), folder.count);
let sameClass = 0;
let sameGroup = 0;
for (let q = 0; q < queries; q++) {
  const i = Math.floor(rng() * folder.count);
  let best = -1;
  let bestSim = -Infinity;
  for (let j = 0; j < folder.count; j++) {
    if (j === i) continue;
    let sim = 0;
    for (let t = 0; t < h * w; t++) sim += blurred[i]![t]! * blurred[j]![t]!;
    if (sim > bestSim) [best, bestSim] = [j, sim];
  }
  if (folder.labels[best] === folder.labels[i]) sameClass++;
  if (folder.groups[best] === folder.groups[i]) sameGroup++;
}
const classes = folder.classNames.length;
const perClass = folder.count / classes;
const chanceClass = (perClass - 1) / (folder.count - 1);
const chanceGroup = Array.from(new Set(folder.groups)).reduce((s, g) => {
  const n = folder.groups.filter((x) => x === g).length;
  return s + (n / folder.count) * ((n - 1) / (folder.count - 1));
}, 0);
console.log(JSON.stringify({
  data: values.data, images: folder.count, classes, groups: folder.groupNames.length, queries,
  nearestSameClass: sameClass / queries, chanceSameClass: Number(chanceClass.toFixed(5)),
  nearestSameGroup: sameGroup / queries, chanceSameGroup: Number(chanceGroup.toFixed(5)),
}));
