// The accuracy shown before and after fine-tuning: each class's support drawing is the gallery (one
// example per class); held-out variants of every class are classified by their nearest support
// (cosine distance, exact flat index) and the share classified right is reported.
import { createIndex, seededRandom } from '@twinembed/web';
import type { ExampleSet } from './example-sets.js';
import type { ImageModel } from './image-model.js';

export interface AccuracyOptions {
  queriesPerClass?: number;
  /** Seeds the query variants; keep it apart from the training seeds so queries are held out. */
  seed?: number;
}

export interface Accuracy {
  correct: number;
  total: number;
}

export async function oneShotAccuracy(model: ImageModel, set: ExampleSet, options: AccuracyOptions = {}): Promise<Accuracy> {
  const { queriesPerClass = 6, seed = 424_242 } = options;
  const { labels } = set;
  const index = createIndex({ dim: model.info.dim, metric: 'cosine', backend: 'flat', capacity: labels.length });
  index.add(labels, await model.embed(labels.map((label) => set.support(label))));
  const next = seededRandom(seed);
  const queries = labels.flatMap((label) => Array.from({ length: queriesPerClass }, () => ({ label, drawing: set.variant(label, next) })));
  const vectors = await model.embed(queries.map((q) => q.drawing));
  const correct = vectors.filter((v, i) => index.search(v, 1).ids[0] === queries[i]!.label).length;
  return { correct, total: queries.length };
}
