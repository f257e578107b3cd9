// The one-shot gallery: the drawings enrolled per class, and a one-shot classifier (in the worker)
// over the current image model. Enrolling a class again adds a drawing, and the class is then the
// mean of its drawings' embeddings; swapping the model (after fine-tuning) re-enrolls every drawing.
import type { RankedLabel, TwinembedClient } from '@twinembed/web';
import type { ImageModel } from './image-model.js';
import type { Stroke } from './strokes.js';

export interface Gallery {
  /** Each class's drawings, in the order they were enrolled. */
  readonly enrolled: ReadonlyMap<string, readonly (readonly Stroke[])[]>;
  /** Adds a drawing to `label`; returns how many it now has. */
  enroll(label: string, strokes: readonly Stroke[]): Promise<number>;
  /** Every enrolled class, nearest first (cosine distance to its prototype). */
  rank(strokes: readonly Stroke[]): Promise<RankedLabel[]>;
  useModel(model: ImageModel): Promise<void>;
}

export async function createGallery(client: TwinembedClient, initial: ImageModel): Promise<Gallery> {
  const enrolled = new Map<string, (readonly Stroke[])[]>();
  let model = initial;
  let { classifier } = await client.createClassifier({ embedder: model.info.embedder });
  return {
    enrolled,
    async enroll(label, strokes) {
      const { labels } = await client.enroll({ classifier, label, examples: model.pixels({ strokes }) });
      enrolled.set(label, [...(enrolled.get(label) ?? []), strokes]);
      return labels.find((l) => l.label === label)!.examples;
    },
    async rank(strokes) {
      const [result] = await client.classify({ classifier, inputs: [model.pixels({ strokes })], k: Math.max(enrolled.size, 1) });
      return result!.ranking;
    },
    async useModel(next) {
      const fresh = (await client.createClassifier({ embedder: next.info.embedder })).classifier;
      for (const [label, drawings] of enrolled) await client.enroll({ classifier: fresh, label, examples: drawings.map((strokes) => next.pixels({ strokes })) });
      await client.dispose({ handle: classifier });
      [model, classifier] = [next, fresh];
    },
  };
}
