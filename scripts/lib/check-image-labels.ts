// Do an image folder's labels mean anything? For a sample of images, the nearest other image by raw
// pixels (box-blurred 5×5, cosine) is found among all images; in a correctly labeled folder of
// handwritten characters it shares the query's class (and group) far more often than chance. A rate
// at chance means the images were assigned to folders independently of what they show.
import { loadImageFolder, seededRandom } from '@twinembed/node';

export interface LabelCheck {
  data: string; images: number; classes: number; groups: number; queries: number;
  nearestSameClass: number; chanceSameClass: number; nearestSameGroup: number; chanceSameGroup: number;
}

export async function checkImageLabels(data: string, queries: number, seed: number): Promise<LabelCheck> {
  const folder = await loadImageFolder(data, { channels: 1 });
  const { height: h, width: w } = folder.preprocessing;
  const blurred = Array.from({ length: folder.count }, (_, i) => {
    const x = folder.images.subarray(i * h * w, (i + 1) * h * w);
    const out = new Float32Array(h * w);
    for (let y = 0; y < h; y++) for (let c = 0; c < w; c++) {
      let s = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (c + dx >= 0 && c + dx < w) s += x[(y + dy) * w + c + dx] ?? 0;
      out[y * w + c] = s;
    }
    const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0)) || 1;
    return out.map((v) => v / norm);
  });
  const rng = seededRandom(seed);
  const n = Math.min(queries, folder.count);
  let sameClass = 0;
  let sameGroup = 0;
  for (let q = 0; q < n; q++) {
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
  // chance: the probability that a uniformly drawn other image shares the query's class (group)
  const pairShare = (ids: Int32Array) => [...countsOf(ids).values()].reduce((s, k) => s + (k / folder.count) * ((k - 1) / (folder.count - 1)), 0);
  return {
    data, images: folder.count, classes: folder.classNames.length, groups: folder.groupNames.length, queries: n,
    nearestSameClass: sameClass / n, chanceSameClass: Number(pairShare(folder.labels).toFixed(5)),
    nearestSameGroup: sameGroup / n, chanceSameGroup: Number(pairShare(folder.groups).toFixed(5)),
  };
}

function countsOf(ids: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
