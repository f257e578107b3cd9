// Turns one op call into one node valid at the builder's opset: attributes typed by the schema,
// attributes that later opsets moved to inputs emitted as whichever the opset wants, versions checked.
import { fail } from '../errors.js';
import type { AttributeProto } from '../onnx/proto.js';
import { isTypedAttr, makeAttribute } from './attributes.js';
import type { GraphBuilder, NodeOptions } from './graph-builder.js';
import { opSchema, type AttrType, type MovedAttr, type OpSchema } from './op-schemas.js';
import { Value, type ValueInput } from './value.js';

export function emitOp(
  b: GraphBuilder, opType: string, inputs: readonly ValueInput[], given: Readonly<Record<string, unknown>>, options: NodeOptions,
): Value[] {
  const domain = options.domain ?? '';
  const schema = domain === '' || domain === 'ai.onnx' ? opSchema(opType) : undefined;
  const count = outputCount(schema, given, options, opType);
  const attrs = { ...schema?.defaults?.(b.opset, given, count), ...withoutUndefined(given) };
  const where = `${opType} at opset ${b.opset}`;
  if (schema) checkVersion(b, opType, schema, attrs);
  const resolved = resolveInputs(b, inputs, where);
  const attributes: AttributeProto[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const moved = schema?.moved?.[key];
    if (moved && b.opset >= moved.at) {
      resolved[moved.input] = movedInput(b, moved, value, resolved[0] ?? null, `${where}, ${key}`);
    } else {
      attributes.push(encodeAttribute(b, schema, opType, key, value, moved));
    }
  }
  for (let i = 0; i < resolved.length; i++) resolved[i] ??= null;
  while (resolved.length > 0 && resolved[resolved.length - 1] === null) resolved.pop();
  const inputTypes = resolved.map((v) => v?.type);
  const outputTypes = Array.from({ length: count }, (_, i) => (schema?.outType ? schema.outType(inputTypes, attrs, i) : inputTypes[0]));
  return b.appendNode({ opType, domain: domain === 'ai.onnx' ? '' : domain, inputs: resolved, attributes, outputTypes, name: options.name ?? opType });
}

function withoutUndefined(attrs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).filter(([, value]) => value !== undefined));
}

function checkVersion(b: GraphBuilder, opType: string, schema: OpSchema, attrs: Readonly<Record<string, unknown>>): void {
  if (b.opset < schema.since) {
    fail('graph', `${opType} cannot be emitted at opset ${b.opset}: the form twinembed emits needs opset ≥ ${schema.since}`);
  }
  const reason = schema.check?.(b.opset, attrs);
  if (reason) fail('graph', `${opType} cannot be emitted at opset ${b.opset} with these attributes: ${reason}`);
}

function resolveInputs(b: GraphBuilder, inputs: readonly ValueInput[], where: string): (Value | null)[] {
  const sibling = inputs.find((v): v is Value => v instanceof Value);
  return inputs.map((input, i) => {
    if (input === null) return null;
    if (input instanceof Value) {
      b.checkOwn(input);
      return input;
    }
    if (typeof input !== 'number') fail('graph', `${where}, input ${i}: expected a Value, a number or null, got ${describe(input)}`);
    if (!sibling?.type) fail('graph', `${where}, input ${i}: the number ${input} needs an element type, and no other input has a known one (use b.scalar(value, type))`);
    return b.scalar(input, sibling.type);
  });
}

function movedInput(b: GraphBuilder, moved: MovedAttr, value: unknown, first: Value | null, where: string): Value {
  if (value instanceof Value) {
    b.checkOwn(value);
    return value;
  }
  if (moved.type === 'input0') {
    if (typeof value !== 'number') fail('graph', `${where}: expected a number or a Value, got ${describe(value)}`);
    if (!first?.type) fail('graph', `${where}: the first input's element type must be known to emit ${value} as an input`);
    return b.scalar(value, first.type);
  }
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || list.some((x) => !Number.isInteger(x))) fail('graph', `${where}: expected integers, got ${describe(value)}`);
  return b.int64s(list);
}

function encodeAttribute(
  b: GraphBuilder, schema: OpSchema | undefined, opType: string, key: string, value: unknown, moved: MovedAttr | undefined,
): AttributeProto {
  const where = `${opType} at opset ${b.opset}, attribute "${key}"`;
  if (isTypedAttr(value)) return makeAttribute(key, value.attrType, value.value);
  if (!schema) fail('graph', `${where}: ${opType} has no schema in twinembed, so its attribute types are unknown: pass attr.int(…), attr.float(…), …`);
  if (moved) {
    if (moved.since !== undefined && b.opset < moved.since) fail('graph', `${where}: needs opset ≥ ${moved.since}`);
    if (value instanceof Value) fail('graph', `${where}: a tensor-valued ${key} needs opset ≥ ${moved.at}; at opset ${b.opset} it is a constant attribute`);
    const type: AttrType = moved.type === 'input0' ? 'float' : moved.asVector ? 'int' : 'ints';
    return makeAttribute(key, type, value);
  }
  const spec = schema.attrs?.[key];
  if (!spec) {
    const known = [...Object.keys(schema.attrs ?? {}), ...Object.keys(schema.moved ?? {})];
    fail('graph', `${where}: unknown attribute, expected one of ${known.join(', ') || '(none)'}`);
  }
  if (typeof spec !== 'string' && b.opset < spec.since) fail('graph', `${where}: needs opset ≥ ${spec.since}`);
  return makeAttribute(key, typeof spec === 'string' ? spec : spec.type, value);
}

function outputCount(schema: OpSchema | undefined, attrs: Readonly<Record<string, unknown>>, options: NodeOptions, opType: string): number {
  if (options.outputs !== undefined) {
    if (typeof schema?.outputs === 'number' && options.outputs > schema.outputs) {
      fail('graph', `${opType}: expected at most ${schema.outputs} outputs, got a request for ${options.outputs}`);
    }
    return options.outputs;
  }
  if (schema?.outputs === 'many' && opType === 'Split') {
    const split = attrs.split;
    const n = Array.isArray(split) ? split.length : (attrs.num_outputs as number | undefined);
    if (n === undefined) fail('graph', 'Split: expected `split` sizes or `num_outputs` (or options.outputs) to know how many outputs to make');
    return n;
  }
  return typeof schema?.outputs === 'number' ? schema.outputs : 1;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : JSON.stringify(value);
}

