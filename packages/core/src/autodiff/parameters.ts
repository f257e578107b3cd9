// Parameter discovery in imported models: float initializers and float Constant tensors are the
// trainable candidates. Exporters merge identical tensors into one initializer read by several
// nodes (often through Identity aliases that carry the real names); PyTorch trains each of those
// as its own parameter, so by default every consumer gets its own copy ("untying").
import { fail } from '../errors.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { readersOf, rewire } from '../graph/rewire.js';
import type { Node, Value } from '../graph/value.js';
import { dataTypeFromCode, isFloatType, type DataType } from '../onnx/data-type.js';
import type { TensorProto } from '../onnx/proto.js';
import { elementCount, tensorDims } from '../onnx/tensor-proto.js';

export interface Parameter {
  /** The name to select, report and checkpoint by: an Identity alias's name where the exporter made one, else the initializer's. */
  readonly name: string;
  /** The initializer holding it (a promoted Constant's too). */
  readonly value: Value;
  readonly type: DataType;
  readonly dims: readonly number[];
  readonly source: 'initializer' | 'constant';
}

export interface ParameterOptions {
  /** What trains: 'all' (default), 'none', or names and patterns matched against the name and the initializer's name. */
  trainable?: 'all' | 'none' | RegExp | readonly (string | RegExp)[];
  /** Also exporters' literals (GELU's 0.5, attention scales): 0-d tensors and Constants of one element (default false). */
  includeScalars?: boolean;
  /** 'untie' (default): each node reading a merged tensor gets its own copy; 'keep': one shared parameter. */
  tied?: 'untie' | 'keep';
}

interface Candidate { value: Value; tensor: TensorProto; source: Parameter['source'] }

/** Finds the trainable parameters, promoting trainable Constants to initializers and untying merged ones (mutates `b`). */
export function discoverParameters(b: GraphBuilder, options: ParameterOptions = {}): Map<string, Parameter> {
  const tied = options.tied ?? 'untie';
  if (tied !== 'untie' && tied !== 'keep') fail('autodiff', `parameters: tied: expected 'untie' or 'keep', got ${JSON.stringify(tied)}`);
  const consumers = readersOf(b.nodes);
  const params = new Map<string, Parameter>();
  for (const candidate of candidates(b, options.includeScalars ?? false)) {
    const readers = consumers.get(candidate.value) ?? [];
    const names = readers.length === 0 ? [candidate.value.name] : readers.map((node) => aliasOf(b, node) ?? candidate.value.name);
    if (!names.some((n) => selected(options.trainable ?? 'all', n, candidate.value.name))) continue;
    const base = candidate.source === 'constant' ? promote(b, candidate, readers) : candidate.value;
    if (tied === 'keep' || readers.length <= 1) {
      add(params, { ...describe(candidate, base), name: readers.length === 1 ? names[0]! : base.name });
      continue;
    }
    // The original stays with the first reader that is not an alias (it carries the tensor's own name).
    const keeper = Math.max(0, readers.findIndex((node) => aliasOf(b, node) === undefined));
    readers.forEach((node, i) => {
      const value = i === keeper ? base : b.addInitializer({ ...candidate.tensor, name: `${names[i]}${names[i] === base.name ? `.${i}` : ''}.untied` }, base.type, [...base.shape!]);
      if (i !== keeper) rewire(node, base, value);
      add(params, { ...describe(candidate, value), name: i === keeper ? base.name : names[i] === base.name ? `${base.name}.${i}` : names[i]! });
    });
  }
  return params;
}

function candidates(b: GraphBuilder, includeScalars: boolean): Candidate[] {
  // Exporters write literals as 0-d initializers (dynamo) or 0-d and [1] Constants (legacy); a real
  // parameter may have one element (a Linear(n, 1) bias) but always has a dimension.
  const literal = (t: TensorProto, constant: boolean) => !includeScalars && (tensorDims(t).length === 0 || (constant && elementCount(tensorDims(t)) <= 1));
  const list: Candidate[] = [];
  for (const [name, tensor] of b.initializers) {
    if (isFloatType(dataTypeFromCode(tensor.dataType ?? 0)) && !literal(tensor, false)) list.push({ value: b.value(name), tensor, source: 'initializer' });
  }
  for (const node of b.nodes) {
    const t = node.opType === 'Constant' && node.domain === '' ? node.attributes.find((a) => a.name === 'value')?.t : undefined;
    if (t && isFloatType(dataTypeFromCode(t.dataType ?? 0)) && !literal(t, true)) list.push({ value: node.outputs[0]!, tensor: t, source: 'constant' });
  }
  return list;
}

/** An exporter's alias: an Identity whose output names the parameter for one module. */
function aliasOf(b: GraphBuilder, node: Node): string | undefined {
  return node.opType === 'Identity' && node.domain === '' && !b.outputs.includes(node.outputs[0]!) ? node.outputs[0]!.name : undefined;
}

function selected(trainable: NonNullable<ParameterOptions['trainable']>, ...names: string[]): boolean {
  if (trainable === 'all') return true;
  if (trainable === 'none') return false;
  const patterns = trainable instanceof RegExp ? [trainable] : trainable;
  return patterns.some((p) => names.some((n) => (typeof p === 'string' ? p === n : p.test(n))));
}

/** A trainable Constant becomes an initializer that its readers read instead (the Constant node is left dead). */
function promote(b: GraphBuilder, candidate: Candidate, readers: readonly Node[]): Value {
  const value = b.addInitializer({ ...candidate.tensor, name: `${candidate.value.name}.param` }, dataTypeFromCode(candidate.tensor.dataType ?? 0), tensorDims(candidate.tensor));
  for (const node of readers) rewire(node, candidate.value, value);
  return value;
}

function describe(candidate: Candidate, value: Value): Omit<Parameter, 'name'> {
  return { value, type: value.type!, dims: tensorDims(candidate.tensor), source: candidate.source };
}

function add(params: Map<string, Parameter>, param: Parameter): void {
  if (params.has(param.name)) fail('autodiff', `parameters: two parameters are named "${param.name}"`);
  params.set(param.name, param);
}
