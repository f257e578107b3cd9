// The one-shot gallery: one enrolled drawing per class, embedded by the current image model into a
// cosine index (flat: exact, and a gallery holds a handful of classes). Swapping the model (after
// fine-tuning) re-embeds every enrolled drawing.
import { createIndex, fail, type VectorIndex } from '@twinembed/web';
import type { ImageModel } from './image-model.js';
import type { Stroke } from './strokes.js';

export interface Ranked {
  label: string;
  /** Cosine distance, 1 − cos. */
  distance: number;
}

export interface Gallery {
  readonly enrolled: ReadonlyMap<string, readonly Stroke[]>;
  /** Enrolling a label again replaces its drawing. */
  enroll(label: string, strokes: readonly Stroke[]): Promise<void>;
  /** Every enrolled class, nearest first. */
  rank(strokes: readonly Stroke[]): Promise<Ranked[]>;
  useModel(model: ImageModel): Promise<void>;
}

export function createGallery(initial: ImageModel): Gallery {
  const enrolled = new Map<string, readonly Stroke[]>();
  let model = initial;
  let index: VectorIndex = emptyIndex(model);
  return {
    enrolled,
    async enroll(label, strokes) {
      const [vector] = await model.embed([{ strokes }]);
      index.add([label], [vector!], { replace: true });
      enrolled.set(label, strokes);
    },
    async rank(strokes) {
      if (enrolled.size === 0) fail('demo', 'recognise: expected at least one enrolled class, got none (enroll a drawing first)');
      const [query] = await model.embed([{ strokes }]);
      const { ids, distances } = index.search(query!, enrolled.size);
      return ids.map((id, i) => ({ label: String(id), distance: distances[i]! }));
    },
    async useModel(next) {
      const labels = [...enrolled.keys()];
      const fresh = emptyIndex(next);
      if (labels.length > 0) fresh.add(labels, await next.embed(labels.map((l) => ({ strokes: enrolled.get(l)! }))));
      [model, index] = [next, fresh];
    },
  };
}

function emptyIndex(model: ImageModel): VectorIndex {
  return createIndex({ dim: model.info.dim, metric: 'cosine', backend: 'flat', capacity: 64 });
}
