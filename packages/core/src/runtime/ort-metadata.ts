// onnxruntime-node and onnxruntime-web describe session inputs and outputs with the same
// onnxruntime-common shape; both runtimes turn it into twinembed's ValueSignature here.
import type { ValueSignature } from '../onnx/model-info.js';

/** Structurally onnxruntime-common's InferenceSession.ValueMetadata (core imports no onnxruntime package). */
export type OrtValueMetadata =
  | { readonly name: string; readonly isTensor: false }
  | { readonly name: string; readonly isTensor: true; readonly type: string; readonly shape: readonly (number | string)[] };

/** onnxruntime reports unknown dimensions as -1; twinembed as null. */
export function signaturesFromOrt(metadata: readonly OrtValueMetadata[]): ValueSignature[] {
  return metadata.map((m) => ({
    name: m.name,
    type: m.isTensor ? m.type : 'unknown',
    shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' && d < 0 ? null : d)) : null,
  }));
}
