// TensorFlow.js weights: model.json's `weightsManifest` (groups of shard paths, each weight's name,
// shape, dtype and optional quantization) and the shard bytes → tensors, decoded as tfjs-core's
// io.decodeWeights decodes them. Sizes are checked against the bytes before anything is allocated.
import { fail } from '../errors.js';
import type { Tensor } from '../runtime/runtime.js';

export interface TfjsQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  /** Affine quantization (uint8, uint16): value = q · scale + min. */
  min?: number;
  scale?: number;
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: TfjsQuantization;
}

export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface ReadTfjsWeightsOptions {
  /** model.json parsed (its `weightsManifest` is read), or the manifest array itself. */
  manifest: unknown;
  /** Shard bytes by the path written in the manifest. */
  shards: ReadonlyMap<string, Uint8Array> | ((path: string) => Uint8Array);
  /** Names the model in errors (default 'model.json'). */
  source?: string;
}

const STORED_BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 } as const;

/** Every weight of every group, by name; float32 weights as Float32Array, int32 as Int32Array. */
export function readTfjsWeights(options: ReadTfjsWeightsOptions): Map<string, Tensor> {
  const source = options.source ?? 'model.json';
  const groups = parseWeightsManifest(options.manifest, source);
  const shardOf = typeof options.shards === 'function' ? options.shards : (path: string) => (options.shards as ReadonlyMap<string, Uint8Array>).get(path);
  const tensors = new Map<string, Tensor>();
  groups.forEach((group, g) => {
    const shards = group.paths.map((path) => shardOf(path) ?? fail('tfjs', `${source}, weight group ${g}: expected the shard "${path}", got none`));
    const expected = group.weights.reduce((sum, w) => sum + byteLength(w), 0);
    const actual = shards.reduce((sum, s) => sum + s.length, 0);
    if (actual !== expected) {
      fail('tfjs', `${source}, weight group ${g}: expected ${expected} bytes for its ${group.weights.length} weights, got ${actual} in ${group.paths.length} shard(s) [${group.paths.join(', ')}] (truncated or mismatched shards)`);
    }
    const bytes = concatenate(shards, actual);
    let offset = 0;
    for (const w of group.weights) {
      if (tensors.has(w.name)) fail('tfjs', `${source}: weight "${w.name}" appears twice in the manifest`);
      const size = byteLength(w);
      tensors.set(w.name, decodeWeight(w, bytes.subarray(offset, offset + size)));
      offset += size;
    }
  });
  return tensors;
}

function byteLength(w: TfjsWeightSpec): number {
  return w.shape.reduce((n, d) => n * d, 1) * STORED_BYTES[w.quantization?.dtype ?? w.dtype];
}

function concatenate(shards: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

/** tfjs-core: q · scale + min for uint8/uint16 (rounded for int32 weights), IEEE half for float16. */
function decodeWeight(w: TfjsWeightSpec, bytes: Uint8Array): Tensor {
  const dims = [...w.shape];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = w.quantization;
  if (!q) {
    const count = bytes.length / 4;
    const data = w.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) data[i] = w.dtype === 'float32' ? view.getFloat32(4 * i, true) : view.getInt32(4 * i, true);
    return { type: w.dtype, dims, data };
  }
  const count = bytes.length / STORED_BYTES[q.dtype];
  if (q.dtype === 'float16') {
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = float16ToFloat32(view.getUint16(2 * i, true));
    return { type: 'float32', dims, data };
  }
  const { scale, min } = q as Required<TfjsQuantization>;
  const stored = (i: number) => (q.dtype === 'uint8' ? bytes[i]! : view.getUint16(2 * i, true));
  const data = w.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) data[i] = w.dtype === 'float32' ? stored(i) * scale + min : Math.round(stored(i) * scale + min);
  return { type: w.dtype, dims, data };
}

/** The manifest, validated whole before any shard is read: every problem names the weight it is in. */
export function parseWeightsManifest(json: unknown, source = 'model.json'): TfjsWeightGroup[] {
  const manifest = Array.isArray(json) ? json : (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) fail('tfjs', `${source}: expected a weightsManifest array, got ${describe(manifest)}`);
  return manifest.map((group: unknown, g) => {
    const { paths, weights } = (group ?? {}) as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) fail('tfjs', `${source}, weight group ${g}: expected "paths" to be an array of strings, got ${describe(paths)}`);
    if (!Array.isArray(weights)) fail('tfjs', `${source}, weight group ${g}: expected "weights" to be an array, got ${describe(weights)}`);
    return { paths: [...paths], weights: weights.map((w, i) => weightSpec(w, `${source}, weight group ${g}, weight ${i}`)) };
  });
}

function weightSpec(json: unknown, where: string): TfjsWeightSpec {
  const { name, shape, dtype, quantization } = (json ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') fail('tfjs', `${where}: expected a non-empty "name", got ${describe(name)}`);
  const at = `${where} ("${name}")`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail('tfjs', `${at}: expected "shape" to be integers ≥ 0, got ${describe(shape)}`);
  if (dtype !== 'float32' && dtype !== 'int32') fail('tfjs', `${at}: expected dtype float32 or int32, got ${describe(dtype)} (string, bool and complex64 weights are not supported)`);
  const spec: TfjsWeightSpec = { name, shape: [...shape], dtype };
  if (quantization === undefined) return spec;
  const q = (quantization ?? {}) as Record<string, unknown>;
  if (q.dtype !== 'uint8' && q.dtype !== 'uint16' && q.dtype !== 'float16') fail('tfjs', `${at}: expected quantization dtype uint8, uint16 or float16, got ${describe(q.dtype)}`);
  if (q.dtype === 'float16') {
    if (dtype !== 'float32') fail('tfjs', `${at}: float16 quantization needs a float32 weight, got ${dtype}`);
    return { ...spec, quantization: { dtype: 'float16' } };
  }
  if (typeof q.scale !== 'number' || typeof q.min !== 'number' || !Number.isFinite(q.scale) || !Number.isFinite(q.min)) {
    fail('tfjs', `${at}: ${q.dtype} quantization needs finite numbers "scale" and "min", got scale ${describe(q.scale)} and min ${describe(q.min)}`);
  }
  return { ...spec, quantization: { dtype: q.dtype, scale: q.scale, min: q.min } };
}

function describe(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}

/** IEEE 754 half → number: sign, 5-bit exponent (bias 15), 10-bit fraction; subnormals, ±∞ and NaN included (Node 20 has no Float16Array). */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
