// External data (`.onnx` + `.onnx.data`): tensors whose bytes live in files beside the model.
// Locations are checked here, once, before any read: a model must never make us read
// outside its own folder (absolute paths, `..`, drive letters, NUL bytes).
import { fail } from '../errors.js';
import { DATA_TYPES } from './data-type.js';
import { type GraphProto, type ModelProto, type TensorProto } from './proto.js';
import { checkedElementCount, tensorDataType, tensorDims } from './tensor-proto.js';

export interface ExternalDataRef {
  /** Path relative to the model's folder, '/'-separated, already checked to stay inside it. */
  location: string;
  offset: number;
  /** Byte count, or undefined for "to the end of the file". */
  length: number | undefined;
}

/** Reads `ref.length` bytes at `ref.offset` of `ref.location` (relative to the model's folder). */
export type ExternalDataReader = (ref: ExternalDataRef) => Uint8Array | Promise<Uint8Array>;

/** Checks and normalizes an external-data location; throws for anything that could leave the model folder. */
export function checkExternalLocation(location: string, tensorName: string): string {
  const normalized = location.replace(/\\/g, '/');
  const escapes =
    normalized === '' ||
    normalized.includes('\0') ||
    normalized.startsWith('/') ||
    /^[a-zA-Z]:/.test(normalized) ||
    normalized.split('/').some((part) => part === '..');
  if (escapes) {
    fail('onnx', `tensor "${tensorName}" has external data at "${location}": expected a relative path inside the model's folder, got a path that escapes it`);
  }
  return normalized.split('/').filter((part) => part !== '' && part !== '.').join('/');
}

export function externalDataRef(tensor: TensorProto): ExternalDataRef {
  const entries = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (location === undefined) fail('onnx', `tensor "${tensor.name}" is marked external but names no location`);
  const parse = (key: string): number | undefined => {
    const text = entries.get(key);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0) fail('onnx', `tensor "${tensor.name}" external data ${key}: expected a non-negative integer, got "${text}"`);
    return n;
  };
  return { location: checkExternalLocation(location, tensor.name ?? ''), offset: parse('offset') ?? 0, length: parse('length') };
}

/** Every tensor held by a graph and its subgraphs: initializers and Constant/attribute tensors. */
export function* graphTensors(graph: GraphProto): Generator<TensorProto> {
  const stack: GraphProto[] = [graph];
  while (stack.length > 0) {
    const g = stack.pop()!;
    yield* g.initializer ?? [];
    for (const node of g.node ?? []) {
      for (const attr of node.attribute ?? []) {
        if (attr.t) yield attr.t;
        yield* attr.tensors ?? [];
        if (attr.g) stack.push(attr.g);
        for (const inner of attr.graphs ?? []) stack.push(inner);
      }
    }
  }
}

/** The external-data references of a model, every location checked; reads nothing. */
export function externalDataRefs(model: ModelProto): ExternalDataRef[] {
  return [...graphTensors(model.graph!)].filter((t) => t.dataLocation === 1).map(externalDataRef);
}

/** Checks every external location first, then loads the bytes into raw_data so the model stands alone. */
export async function resolveExternalData(model: ModelProto, read: ExternalDataReader): Promise<ModelProto> {
  const external = [...graphTensors(model.graph!)].filter((t) => t.dataLocation === 1);
  const refs = external.map((tensor) => sizedRef(tensor, externalDataRef(tensor)));
  for (const [i, tensor] of external.entries()) {
    const ref = refs[i]!;
    const bytes = await read(ref);
    if (ref.length !== undefined && bytes.length !== ref.length) {
      fail('onnx', `tensor "${tensor.name}" external data in "${ref.location}": expected ${ref.length} bytes at offset ${ref.offset}, got ${bytes.length} (file truncated?)`);
    }
    tensor.rawData = bytes;
    tensor.dataLocation = 0;
    tensor.externalData = [];
  }
  return model;
}

/** The bytes the tensor's dims and type call for, checked against a stated length; an absent length reads just those. */
function sizedRef(tensor: TensorProto, ref: ExternalDataRef): ExternalDataRef {
  const type = tensorDataType(tensor);
  if (type === 'string') fail('onnx', `tensor "${tensor.name}" keeps strings in external data: expected numeric data there (ONNX stores strings inline)`);
  const expected = checkedElementCount(tensor) * DATA_TYPES[type].bytes;
  if (ref.length !== undefined && ref.length !== expected) {
    fail('onnx', `tensor "${tensor.name}" external data in "${ref.location}": expected a length of ${expected} bytes for ${type} [${tensorDims(tensor).join(', ')}], got ${ref.length}`);
  }
  return { ...ref, length: expected };
}

export function hasExternalData(model: ModelProto): boolean {
  for (const t of graphTensors(model.graph!)) if (t.dataLocation === 1) return true;
  return false;
}
