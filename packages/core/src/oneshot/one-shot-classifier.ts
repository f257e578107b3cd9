// One-shot classification as an API: enroll a few examples per label, classify new inputs by the
// nearest class prototype (the mean of a label's example embeddings, one example being its own),
// exactly as `twinembed eval oneshot` scores episodes. The prototypes live in a VectorIndex (flat
// by default: exact), keyed by label; the examples' embeddings are kept to update them and to save.
import type { EmbedInput, Embedder } from '../embed/create-embedder.js';
import { fail } from '../errors.js';
import { classPrototype } from '../eval/class-prototype.js';
import type { EvalMetric } from '../eval/embedding-matrix.js';
import { createIndex } from '../vector-index/create-index.js';
import type { VectorIndex } from '../vector-index/vector-index.js';
import { AREA, checkInputs, checkK, checkLabel, indexMetric, INDEX_METRIC } from './one-shot-checks.js';
import { encodeSnapshot, type OneShotSnapshot } from './one-shot-snapshot.js';

export interface RankedLabel {
  label: string;
  /** The index's distance to the label's prototype: 1 − cos (cosine) or squared L2 (euclidean). */
  distance: number;
}

export interface OneShotResult extends RankedLabel {
  /** The `k` nearest labels, nearest first; `label` and `distance` are its first entry. */
  ranking: RankedLabel[];
}

export interface ClassifyOptions {
  /** How many labels the ranking holds (default 5; fewer when fewer are enrolled). */
  k?: number;
}

export interface OneShotClassifier<Input = EmbedInput> {
  readonly embedder: Embedder;
  readonly index: VectorIndex;
  readonly metric: EvalMetric;
  /** Adds examples to `label` (creating it) and returns how many it now has. */
  enroll(label: string, examples: Input | readonly Input[]): Promise<number>;
  classify(input: Input, options?: ClassifyOptions): Promise<OneShotResult>;
  classify(inputs: readonly Input[], options?: ClassifyOptions): Promise<OneShotResult[]>;
  /** Forgets `label` and its examples; an unknown label fails. */
  remove(label: string): void;
  /** Enrolled labels, in the order they were first enrolled. */
  labels(): string[];
  /** How many examples `label` has (0 when not enrolled). */
  examples(label: string): number;
  /** Everything needed to restore it: see restoreOneShotClassifier. */
  snapshot(): OneShotSnapshot;
}

export interface OneShotClassifierOptions<Input = EmbedInput> {
  embedder: Embedder;
  /** An empty index of the embedder's dim, metric cosine or l2. Default: flat, cosine. */
  index?: VectorIndex;
  /** cosine (default) or euclidean, as `eval oneshot --metric`; implied by `index` when given. */
  metric?: EvalMetric;
  /** Turns a caller's example into what the embedder takes (e.g. a file path into pixels in Node). */
  readInput?: (input: Input) => EmbedInput | Promise<EmbedInput>;
}

/** Restored state: the embeddings of each label's examples, in enrollment order. */
export type ExampleRows = Map<string, Float32Array[]>;

export function createOneShotClassifier<Input = EmbedInput>(options: OneShotClassifierOptions<Input>): OneShotClassifier<Input> {
  const { embedder } = options;
  if (typeof embedder?.embedMatrix !== 'function') fail(AREA, 'embedder: expected an Embedder (createEmbedder, loadEmbedder or loadWebEmbedder), got none');
  const metric = options.index ? indexMetric(options.index, embedder.dim, options.metric) : options.metric ?? 'cosine';
  if (metric !== 'cosine' && metric !== 'euclidean') fail(AREA, `metric: expected cosine or euclidean, got ${String(metric)}`);
  const index = options.index ?? createIndex({ backend: 'flat', dim: embedder.dim, metric: INDEX_METRIC[metric], capacity: 64 });
  return classifierOver({ embedder, index, metric, readInput: options.readInput }, new Map());
}

interface Parts<Input> {
  embedder: Embedder;
  index: VectorIndex;
  metric: EvalMetric;
  readInput?: (input: Input) => EmbedInput | Promise<EmbedInput>;
}

/** A classifier over `index`, whose prototypes must be those of `rows` (a new one, or one restored). */
export function classifierOver<Input>(parts: Parts<Input>, rows: ExampleRows): OneShotClassifier<Input> {
  const { embedder, index, metric } = parts;
  const dim = embedder.dim;
  const embed = async (inputs: readonly Input[], what: string): Promise<Float32Array> => {
    const read = parts.readInput ? await Promise.all(inputs.map((input) => parts.readInput!(input))) : (inputs as readonly EmbedInput[]);
    checkInputs(read, embedder.spec, what);
    return embedder.embedMatrix(read);
  };
  const classify = async (input: Input | readonly Input[], options: ClassifyOptions = {}) => {
    const k = checkK(options.k ?? 5);
    if (rows.size === 0) fail(AREA, 'classify: expected at least one enrolled label, got none (enroll examples first)');
    const list = Array.isArray(input) ? (input as readonly Input[]) : [input as Input];
    const results = index.searchBatch(await embed(list, 'classify'), Math.min(k, rows.size)).map(toResult);
    return Array.isArray(input) ? results : results[0]!;
  };
  return {
    embedder, index, metric,
    async enroll(label, examples) {
      checkLabel(label, 'enroll');
      const list = Array.isArray(examples) ? (examples as readonly Input[]) : [examples as Input];
      const data = await embed(list, `enroll "${label}"`);
      const added = list.map((_, i) => data.slice(i * dim, (i + 1) * dim));
      const all = [...(rows.get(label) ?? []), ...added];
      index.add([label], prototypeOf(all, dim), { replace: true }); // the index checks the rows are finite before anything changes
      rows.set(label, all);
      return all.length;
    },
    classify: classify as OneShotClassifier<Input>['classify'],
    remove(label) {
      checkLabel(label, 'remove');
      if (!rows.has(label)) fail(AREA, `remove: expected an enrolled label, got ${JSON.stringify(label)} (${enrolledList([...rows.keys()])})`);
      index.remove([label]);
      rows.delete(label);
    },
    labels: () => [...rows.keys()],
    examples: (label) => rows.get(label)?.length ?? 0,
    snapshot: () => encodeSnapshot({ embedder, index, metric, rows }),
  };
}

/** The mean of a label's example embeddings, computed as `eval oneshot` computes a class's (classPrototype). */
export function prototypeOf(examples: readonly Float32Array[], dim: number): Float32Array {
  const data = new Float32Array(examples.length * dim);
  examples.forEach((row, i) => data.set(row, i * dim));
  const out = new Float32Array(dim);
  classPrototype(out, 0, data, dim, Int32Array.from(examples, (_, i) => i));
  return out;
}

function toResult({ ids, distances }: { ids: readonly (string | number)[]; distances: Float32Array }): OneShotResult {
  const ranking = ids.map((id, i) => ({ label: String(id), distance: distances[i]! }));
  return { ...ranking[0]!, ranking };
}

function enrolledList(labels: string[]): string {
  if (labels.length === 0) return 'nothing is enrolled';
  const shown = labels.slice(0, 10).map((l) => JSON.stringify(l)).join(', ');
  return `enrolled: ${shown}${labels.length > 10 ? `, … ${labels.length} in all` : ''}`;
}
