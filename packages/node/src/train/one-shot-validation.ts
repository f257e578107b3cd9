// Validation during training: one-shot accuracy of the current parameters on held-out classes. The
// episodes are drawn once (same seed → same episodes at every validation, so scores compare), the
// encoder with the checkpoint's values is exported and every held-out image embedded once per call.
import {
  createTensor, exportEncoder, oneShotEpisodes, scoreEpisodes, type EvalMetric, type OneShotEpisodesOptions, type Runtime, type TrainerCheckpoint, type TrainStep,
} from '@twinembed/core';

/** The episodes' settings (labels, groups per example, ways, shots, episodes, withinGroup, seed), plus what to embed with. */
export interface OneShotValidationOptions extends OneShotEpisodesOptions {
  runtime: Runtime;
  /** The encoder the train step was built from, and the step (for its parameter discovery). */
  encoder: Uint8Array;
  step: Pick<TrainStep, 'discovery'>;
  /** The encoder's output to embed with and its pixels input. */
  output: string;
  input: string;
  images: Float32Array;
  shape: readonly [number, number, number];
  metric: EvalMetric;
}

const CHUNK = 512;

/** A `validate(checkpoint)` → one-shot accuracy function over episodes drawn once. */
export function oneShotValidation(options: OneShotValidationOptions): (checkpoint: TrainerCheckpoint) => Promise<number> {
  const { labels, groups, ways, shots, episodes: count, withinGroup, seed } = options;
  const episodes = oneShotEpisodes({ labels, groups, ways, shots, episodes: count, withinGroup, seed });
  return async (checkpoint) => {
    const embeddings = await embedAll(options, exportEncoder({ encoder: options.encoder, params: checkpoint.params, discovery: options.step.discovery }));
    return scoreEpisodes(episodes, embeddings, { metric: options.metric }).accuracy;
  };
}

/** Every image through `model` in chunks → one [n, dim] matrix. */
export async function embedAll(options: Pick<OneShotValidationOptions, 'runtime' | 'images' | 'shape' | 'output' | 'input'>, model: Uint8Array): Promise<{ data: Float32Array; dim: number }> {
  const session = await options.runtime.createSession(model);
  const size = options.shape[0] * options.shape[1] * options.shape[2];
  const n = options.images.length / size;
  const parts: Float32Array[] = [];
  try {
    for (let start = 0; start < n; start += CHUNK) {
      const rows = Math.min(CHUNK, n - start);
      const pixels = createTensor('float32', options.images.subarray(start * size, (start + rows) * size), [rows, ...options.shape]);
      parts.push((await session.run({ [options.input]: pixels }, { outputs: [options.output] }))[options.output]!.data as Float32Array);
    }
  } finally {
    await session.release();
  }
  const data = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  return { data, dim: data.length / n };
}
