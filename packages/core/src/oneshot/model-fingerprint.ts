// Which model made a classifier's embeddings: its width, its modality and a CRC-32 of the fused ONNX
// model with the embedding spec (pooling, normalization, image preprocessing), so that a classifier
// saved with one model refuses to load with another. A guard against mistakes, not against tampering.
import type { Embedder } from '../embed/create-embedder.js';
import { encodeModel } from '../onnx/proto.js';
import { crc32 } from '../vector-index/crc32.js';

export interface ModelFingerprint {
  dim: number;
  modality: 'text' | 'image';
  /** Size of the fused model's ONNX bytes. */
  bytes: number;
  /** CRC-32 of those bytes followed by the JSON of the embedding spec, 8 hex digits. */
  crc32: string;
}

const cache = new WeakMap<Embedder, ModelFingerprint>();

/** The embedder's fingerprint, computed once per embedder (it encodes the fused model). */
export function modelFingerprint(embedder: Embedder): ModelFingerprint {
  const known = cache.get(embedder);
  if (known) return known;
  const onnx = encodeModel(embedder.fused.model);
  const spec = new TextEncoder().encode(JSON.stringify(embedder.spec));
  const fingerprint: ModelFingerprint = {
    dim: embedder.dim, modality: embedder.spec.modality, bytes: onnx.length,
    crc32: crc32(spec, crc32(onnx)).toString(16).padStart(8, '0'),
  };
  cache.set(embedder, fingerprint);
  return fingerprint;
}

export function describeFingerprint(f: ModelFingerprint): string {
  return `a ${f.dim}-d ${f.modality} model (fused ONNX ${f.bytes} bytes, CRC-32 ${f.crc32})`;
}

export function sameModel(a: ModelFingerprint, b: ModelFingerprint): boolean {
  return a.dim === b.dim && a.modality === b.modality && a.bytes === b.bytes && a.crc32 === b.crc32;
}
