// `b.op.X(...)`: one typed function per op in the schema table, spelled as in the ONNX spec.
// PascalCase means exactly one ONNX node; composites (layers) are camelCase functions elsewhere.
import type { DataType } from '../onnx/data-type.js';
import type { TensorLiteral } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';
import { OP_SCHEMAS } from './op-schemas.js';
import { Value, type ValueInput } from './value.js';

type Schemas = typeof OP_SCHEMAS;

type AttrValue<T> = T extends 'int' | 'float' ? number
  : T extends 'string' ? string
  : T extends 'ints' | 'floats' ? readonly number[]
  : T extends 'strings' ? readonly string[]
  : T extends 'tensor' ? TensorLiteral
  : T extends 'dtype' ? DataType
  : never;

type SpecType<S> = S extends { type: infer T } ? T : S;

/** The attributes an op takes, including those that later opsets turned into inputs. */
export type AttrsOf<S> =
  & (S extends { attrs: infer A } ? { [K in keyof A]?: AttrValue<SpecType<A[K]>> } : unknown)
  & (S extends { moved: infer M } ? { [K in keyof M]?: number | readonly number[] | Value } : unknown);

type Result<S> = S extends { outputs: number | 'many' } ? Value[] : Value;

export type Ops = {
  readonly [N in keyof Schemas]: (...args: ValueInput[] | [...ValueInput[], AttrsOf<Schemas[N]>]) => Result<Schemas[N]>;
};

function splitArgs(args: readonly unknown[]): [ValueInput[], Record<string, unknown>] {
  const last = args[args.length - 1];
  const isAttrs = typeof last === 'object' && last !== null && !(last instanceof Value);
  return isAttrs ? [args.slice(0, -1) as ValueInput[], last as Record<string, unknown>] : [args as ValueInput[], {}];
}

export function createOps(b: GraphBuilder): Ops {
  const ops: Record<string, (...args: unknown[]) => Value | Value[]> = {};
  for (const [opType, schema] of Object.entries(OP_SCHEMAS)) {
    const many = 'outputs' in schema;
    ops[opType] = (...args) => {
      const [inputs, attrs] = splitArgs(args);
      const outputs = b.node(opType, inputs, attrs);
      return many ? outputs : outputs[0]!;
    };
  }
  return Object.freeze(ops) as unknown as Ops;
}
