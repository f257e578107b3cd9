// Boundary checks of the one-shot classifier: labels, k, the metric an index implies, and examples
// against what the embedder takes, each refused with one error that names the label and example.
import type { EmbedInput } from '../embed/create-embedder.js';
import type { EmbedSpec } from '../embed/model-spec.js';
import { fail } from '../errors.js';
import type { EvalMetric } from '../eval/embedding-matrix.js';
import type { RasterImage } from '../image/preprocess-image.js';
import type { Metric, VectorIndex } from '../vector-index/vector-index.js';

export const AREA = 'oneshot';

/** The index metric for each one-shot metric: cosine ranks 1 − cos, euclidean squared L2, as `eval oneshot`. */
export const INDEX_METRIC: Record<EvalMetric, Metric> = { cosine: 'cosine', euclidean: 'l2' };

export function checkLabel(label: unknown, what: string): string {
  if (typeof label !== 'string' || label.trim() === '') fail(AREA, `${what}: expected a non-empty label, got ${JSON.stringify(label) ?? String(label)}`);
  return label;
}

export function checkK(k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) fail(AREA, `classify k: expected an integer ≥ 1 (how many labels to rank), got ${String(k)}`);
  return k;
}

/** The metric of a caller's index (cosine or l2), checked against the embedder and the metric asked for. */
export function indexMetric(index: VectorIndex, dim: number, metric: EvalMetric | undefined): EvalMetric {
  const found = (Object.keys(INDEX_METRIC) as EvalMetric[]).find((m) => INDEX_METRIC[m] === index.metric);
  if (!found) fail(AREA, `index: expected metric cosine or l2 (how eval oneshot compares prototypes), got ${index.metric}`);
  if (metric !== undefined && metric !== found) fail(AREA, `index: expected metric ${INDEX_METRIC[metric]} for metric "${metric}", got ${index.metric}`);
  if (index.dim !== dim) fail(AREA, `index: expected dim ${dim} (the embedder's), got ${index.dim}`);
  if (index.size !== 0) fail(AREA, `index: expected an empty index (the classifier keeps one prototype per label in it), got ${index.size} vectors`);
  return found;
}

const describe = (input: unknown) => (input === null ? 'null' : input instanceof Float32Array ? `a Float32Array of ${input.length}` : Array.isArray(input) ? 'an array' : typeof input === 'object' ? Object.prototype.toString.call(input) : typeof input);

function isRaster(input: object): boolean {
  return 'data' in input && 'width' in input && 'height' in input && 'channels' in input;
}

/** Why `input` cannot be embedded by a model of `spec`, or undefined when it can. */
function problem(input: unknown, spec: EmbedSpec): string | undefined {
  if (spec.modality === 'text') {
    const ok = typeof input === 'string' || (typeof input === 'object' && input !== null && 'ids' in input);
    return ok ? undefined : `expected a text (or token ids) for this text model, got ${describe(input)}`;
  }
  const { channels, height, width } = spec.image;
  const size = channels * height * width;
  if (input instanceof Float32Array) {
    return input.length === size ? undefined
      : `expected ${size} floats (${channels}×${height}×${width}, preprocessed as the model's manifest says), got ${input.length}: pass the decoded image (a RasterImage) instead and it is resized to ${height}×${width}`;
  }
  if (typeof input === 'object' && input !== null && isRaster(input)) {
    const { data, width: w, height: h, channels: c } = input as RasterImage;
    // Any size: preprocessImage resizes it to the model's input, as its manifest's "image" block says.
    return data?.length === w * h * c ? undefined : `expected a ${w}×${h}×${c} image to hold ${w * h * c} bytes, got ${data?.length}`;
  }
  return `expected an image for this image model (a decoded RasterImage, any size, or ${size} preprocessed floats), got ${describe(input)}`;
}

/** The examples as a list: one input, or a non-empty array of them, each one the embedder takes. */
export function checkInputs(inputs: readonly EmbedInput[], spec: EmbedSpec, what: string): void {
  if (inputs.length === 0) fail(AREA, `${what}: expected at least one input, got an empty list`);
  inputs.forEach((input, i) => {
    const why = problem(input, spec);
    if (why) fail(AREA, `${what}, ${inputs.length === 1 ? 'the input' : `input ${i}`}: ${why}`);
  });
}
