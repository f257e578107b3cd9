// The graph builder: values are handles returned by ops, names are unique and assigned here,
// parameters are named by module path, and every op is emitted in the form valid at the
// builder's opset (an imported model's opset, or twinembed's pinned DEFAULT_OPSET).
import { fail } from '../errors.js';
import { DATA_TYPES, type DataType, type TypedArray } from '../onnx/data-type.js';
import type { ModelProto, OperatorSetIdProto, TensorProto, ValueInfoProto } from '../onnx/proto.js';
import { makeTensorProto } from '../onnx/tensor-proto.js';
import type { TensorLiteral } from './attributes.js';
import { dumpGraph } from './dump.js';
import { emitOp } from './emit-op.js';
import { createOps, type Ops } from './ops.js';
import { buildModel } from './to-model.js';
import { Value, type Dim, type Node, type ValueInput } from './value.js';

/**
 * Opset 17: the first with LayerNormalization (BERT-style encoders without decomposing it),
 * the opset of the legacy PyTorch exporter and of onnxruntime-web's widest kernel coverage;
 * opset 18 only moves Reduce* axes to inputs, which the op helpers emit for imported opset-18 models.
 */
export const DEFAULT_OPSET = 17;
/** IR version 8 is the one that goes with opset 17. */
export const DEFAULT_IR_VERSION = 8;

export interface GraphBuilderOptions {
  /** ai.onnx opset the emitted nodes must be valid at (default DEFAULT_OPSET). */
  opset?: number;
  /** The graph's name. */
  name?: string;
}

export interface NodeOptions {
  domain?: string;
  /** Number of outputs (default 1, or the schema's fixed count). */
  outputs?: number;
  /** Base of the node's name; made unique and prefixed with the current scope. */
  name?: string;
}

/** Fields of an imported model that the builder does not model but writes back unchanged. */
export interface ModelEnvelope {
  model: ModelProto;
  opsetImports: OperatorSetIdProto[];
  valueInfo: ValueInfoProto[];
  sparseInitializers: NonNullable<NonNullable<ModelProto['graph']>['sparseInitializer']>;
}

export class GraphBuilder {
  readonly opset: number;
  name: string;
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly nodes: Node[] = [];
  /** Initializers in insertion order, by value name. */
  readonly initializers = new Map<string, TensorProto>();
  /** Typed op helpers: `b.op.MatMul(x, w)`. */
  readonly op: Ops;
  /** Set by importModel: what to write back around the graph. */
  envelope: ModelEnvelope | undefined;

  readonly #values = new Map<string, Value>();
  readonly #reserved = new Set<string>();
  readonly #nodeNames = new Set<string>();
  readonly #counters = new Map<string, number>();
  readonly #scope: string[] = [];
  readonly #constants = new Map<string, Value>();

  constructor(options: GraphBuilderOptions = {}) {
    const opset = options.opset ?? DEFAULT_OPSET;
    if (!Number.isInteger(opset) || opset < 1) fail('graph', `opset: expected a positive integer, got ${opset}`);
    this.opset = opset;
    this.name = options.name ?? 'twinembed';
    this.op = createOps(this);
  }

  /** A graph input. Shape entries are sizes, symbolic names ('batch') or null (unknown). */
  input(name: string, type: DataType, shape: readonly Dim[]): Value {
    const value = this.#newValue(this.#claim(name, 'input'), 'input', type, [...shape]);
    this.inputs.push(value);
    return value;
  }

  /** A trainable parameter named by module path: inside `scope('encoder', …)`, 'dense.weight' → 'encoder.dense.weight'. */
  param(name: string, data: TypedArray, dims: readonly number[]): Value {
    return this.initializer(this.#scoped(name, '.'), data, dims);
  }

  /** An initializer with exactly this name (no scope prefix). */
  initializer(name: string, data: TypedArray, dims: readonly number[], type: DataType = dataTypeOf(data)): Value {
    const full = this.#claim(name, 'initializer');
    this.initializers.set(full, makeTensorProto(full, type, dims, data));
    return this.#newValue(full, 'initializer', type, [...dims]);
  }

  /** Adds an already-encoded initializer (imports and parameter untying use it). */
  addInitializer(tensor: TensorProto, type: DataType | undefined, shape: Dim[]): Value {
    const name = this.#claim(tensor.name ?? '', 'initializer');
    this.initializers.set(name, tensor);
    return this.#newValue(name, 'initializer', type, shape);
  }

  /** A constant tensor, emitted as a Constant node; identical small constants are shared. */
  constant(literal: TensorLiteral): Value {
    const key = literal.data.length <= 64 ? `${literal.type}[${literal.dims.join(',')}]:${Array.from(literal.data as ArrayLike<unknown>).join(',')}` : undefined;
    const cached = key === undefined ? undefined : this.#constants.get(key);
    if (cached) return cached;
    const value = this.node('Constant', [], { value: literal }, { name: 'const' })[0]!;
    if (key !== undefined) this.#constants.set(key, value);
    return value;
  }

  /** A 0-d constant of the given element type. */
  scalar(value: number, type: DataType = 'float32'): Value {
    return this.constant({ type, dims: [], data: typedArrayOf(type, [value]) });
  }

  /** A 1-D int64 constant: shapes, axes, indices. */
  int64s(values: readonly number[]): Value {
    return this.constant({ type: 'int64', dims: [values.length], data: BigInt64Array.from(values, BigInt) });
  }

  /** Runs `fn` with `name` appended to the module path used for parameter and node names. */
  scope<T>(name: string, fn: (b: this) => T): T {
    this.#scope.push(name);
    try {
      return fn(this);
    } finally {
      this.#scope.pop();
    }
  }

  /**
   * Emits one node. For ai.onnx ops in the schema table, attributes are typed and version-checked;
   * other ops (custom domains, ops twinembed does not emit) take `attr.*`-typed attributes.
   */
  node(opType: string, inputs: readonly ValueInput[], attrs: Readonly<Record<string, unknown>> = {}, options: NodeOptions = {}): Value[] {
    return emitOp(this, opType, inputs, attrs, options);
  }

  /** Appends a node whose inputs are resolved and attributes encoded (emitOp and importModel call this). */
  appendNode(spec: Omit<Node, 'outputs' | 'name'> & { name?: string; outputTypes: (DataType | undefined)[]; outputNames?: string[] }): Value[] {
    const name = spec.proto ? this.#claimNodeName(spec.proto.name ?? '') : this.#uniqueNodeName(spec.name ?? spec.opType);
    const outputs: Value[] = [];
    const node: Node = { opType: spec.opType, domain: spec.domain, inputs: spec.inputs, attributes: spec.attributes, proto: spec.proto, name, outputs };
    spec.outputTypes.forEach((type, i) => {
      const given = spec.outputNames?.[i];
      if (given === '') {
        outputs.push(new Value(this, '', 'node', undefined, undefined, node)); // an omitted optional output
        return;
      }
      const valueName = given !== undefined ? this.#claim(given, 'node output') : this.#fresh(this.#reserved, name);
      outputs.push(this.#newValue(valueName, 'node', type, undefined, node));
    });
    this.nodes.push(node);
    return outputs;
  }

  /**
   * Takes these nodes out of the graph (nothing may read their outputs any more). Shared constants
   * they made leave the cache too, so a later `constant()` makes a live one again.
   */
  removeNodes(dead: ReadonlySet<Node>): void {
    const live = this.nodes.filter((n) => !dead.has(n));
    this.nodes.length = 0;
    for (const n of live) this.nodes.push(n);
    for (const [key, value] of this.#constants) if (value.producer && dead.has(value.producer)) this.#constants.delete(key);
  }

  /** Marks `value` as a graph output, under `name` when given (through an Identity node if renamed). */
  output(value: Value, name?: string): Value {
    this.checkOwn(value);
    const out = name === undefined || name === value.name ? value : this.appendNode({
      opType: 'Identity', domain: '', inputs: [value], attributes: [], outputTypes: [value.type], outputNames: [name],
    })[0]!;
    this.outputs.push(out);
    return out;
  }

  /** The ONNX model: a fresh one at this builder's opset, or the imported model with the graph replaced. */
  toModel(): ModelProto {
    return buildModel(this);
  }

  /** One line per node: see dumpGraph. */
  dump(): string {
    return dumpGraph(this);
  }

  /** The value with this name, from an import or earlier ops. */
  value(name: string): Value {
    const value = this.#values.get(name);
    if (!value) fail('graph', `no value named "${name}" in graph "${this.name}"`);
    return value;
  }

  hasValue(name: string): boolean {
    return this.#values.has(name);
  }

  /** Reserves names used inside subgraphs or elsewhere so new values never shadow them. */
  reserveNames(names: Iterable<string>): void {
    for (const n of names) this.#reserved.add(n);
  }

  /** Creates the value for an imported name (input, initializer or node output known by name only). */
  registerValue(value: Value): Value {
    this.#values.set(value.name, value);
    this.#reserved.add(value.name);
    return value;
  }

  checkOwn(value: Value): void {
    if (value.owner !== this) fail('graph', `value ${value} belongs to another graph builder: values cannot cross builders`);
  }

  #newValue(name: string, kind: Value['kind'], type: DataType | undefined, shape: Dim[] | undefined, producer?: Node): Value {
    return this.registerValue(new Value(this, name, kind, type, shape, producer));
  }

  #claim(name: string, what: string): string {
    if (name === '') fail('graph', `${what} name: expected a non-empty name`);
    if (this.#reserved.has(name)) fail('graph', `${what} "${name}": the name is already used in graph "${this.name}"`);
    this.#reserved.add(name);
    return name;
  }

  #scoped(name: string, separator: string): string {
    return [...this.#scope, name].join(separator);
  }

  #uniqueNodeName(base: string): string {
    return this.#fresh(this.#nodeNames, this.#scope.length > 0 ? `${this.#scope.join('.')}/${base}` : base);
  }

  /** Imported node names are kept as they are (they may be empty or repeated in the wild). */
  #claimNodeName(name: string): string {
    if (name !== '') this.#nodeNames.add(name);
    return name;
  }

  /** `base`, or `base_1`, `base_2`, … — the first name free in `taken` (node and value names are separate namespaces). */
  #fresh(taken: Set<string>, base: string): string {
    const key = `${taken === this.#nodeNames ? 'node' : 'value'}:${base}`;
    let n = this.#counters.get(key) ?? 0;
    let name = n === 0 ? base : `${base}_${n}`;
    while (taken.has(name)) name = `${base}_${++n}`;
    this.#counters.set(key, n + 1);
    taken.add(name);
    return name;
  }
}

function dataTypeOf(data: TypedArray): DataType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  return fail('graph', `initializer data: expected Float32Array, Float64Array, BigInt64Array, Int32Array, Int8Array or Uint8Array, got ${data.constructor.name} (pass the element type explicitly)`);
}

export function typedArrayOf(type: DataType, values: readonly number[]): TypedArray {
  const ArrayType = DATA_TYPES[type].array;
  if (ArrayType === Array || type === 'float16' || type === 'bfloat16') {
    fail('graph', `a ${type} constant cannot be made from JS numbers: expected float32, float64 or an integer type`);
  }
  if (ArrayType === BigInt64Array || ArrayType === BigUint64Array) {
    return (ArrayType as BigInt64ArrayConstructor).from(values, (v) => BigInt(v));
  }
  return (ArrayType as Float32ArrayConstructor).from(values);
}
