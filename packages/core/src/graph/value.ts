// Values are handles returned by ops; nodes connect them. Names are assigned once, unique in the graph.
import type { DataType } from '../onnx/data-type.js';
import type { AttributeProto, NodeProto, ValueInfoProto } from '../onnx/proto.js';

/** A dimension: a size, a symbolic name ('batch'), or unknown. */
export type Dim = number | string | null;

export type ValueKind = 'input' | 'initializer' | 'node';

export class Value {
  /** Element type when known (inputs, initializers, and op outputs by the schema's rule). */
  type: DataType | undefined;
  /** Shape when known: inputs, initializers and imported value_info. */
  shape: Dim[] | undefined;
  /** The imported ValueInfoProto, kept so re-serialization does not lose what the exporter wrote. */
  info: ValueInfoProto | undefined;

  constructor(
    /** The builder this value belongs to; values never cross builders. */
    readonly owner: object,
    readonly name: string,
    readonly kind: ValueKind,
    type: DataType | undefined,
    shape: Dim[] | undefined,
    readonly producer?: Node,
  ) {
    this.type = type;
    this.shape = shape;
    this.info = undefined;
  }

  toString(): string {
    return `%${this.name}`;
  }
}

export interface Node {
  readonly opType: string;
  /** '' for ai.onnx. */
  readonly domain: string;
  readonly name: string;
  /** `null` marks an omitted optional input. */
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  readonly attributes: readonly AttributeProto[];
  /** For imported nodes: the original proto, whose other fields (doc string, metadata) are kept. */
  readonly proto?: NodeProto;
}

/** What an op accepts as an input: a value, a number (a scalar of the other inputs' type), or null (omitted). */
export type ValueInput = Value | number | null;
