// The accuracy shown before and after fine-tuning: each class's support drawing is enrolled in a
// one-shot classifier (in the worker, one example per class); held-out variants of every class are
// classified by their nearest prototype (cosine distance, exact) and the share classified right is reported.
import { seededRandom, type TwinembedClient } from '@twinembed/web';
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

export async function oneShotAccuracy(client: TwinembedClient, model: ImageModel, set: ExampleSet, options: AccuracyOptions = {}): Promise<Accuracy> {
  const { queriesPerClass = 6, seed = 424_242 } = options;
  const { classifier } = await client.createClassifier({ embedder: model.info.embedder });
  try {
    for (const label of set.labels) await client.enroll({ classifier, label, examples: model.pixels(set.support(label)) });
    const next = seededRandom(seed);
    const queries = set.labels.flatMap((label) => Array.from({ length: queriesPerClass }, () => ({ label, drawing: set.variant(label, next) })));
    const results = await client.classify({ classifier, inputs: queries.map((q) => model.pixels(q.drawing)), k: 1 });
    return { correct: results.filter((r, i) => r.label === queries[i]!.label).length, total: queries.length };
  } finally {
    await client.dispose({ handle: classifier });
  }
}
