// Deterministic feeds for any model signature: valid token ids, masks and pixel-like floats.
import { createTensor, type Tensor, type ValueSignature } from '@twinembed/node';
import { seededRandom } from './random.js';

/** Symbolic dims become 2 (the first) and 7 (the others); unknown ones 1. */
function concreteDims(shape: ValueSignature['shape']): number[] {
  let symbolic = 0;
  return (shape ?? []).map((d) => (typeof d === 'number' ? d : d === null ? 1 : symbolic++ === 0 ? 2 : 7));
}

/** Integer inputs: masks are 1, token types 0, ids in [1, 18] (the smallest test vocabulary has 20 entries). */
function integerValue(name: string, i: number): number {
  if (/mask/i.test(name)) return 1;
  if (/type/i.test(name)) return 0;
  return ((i * 7 + 3) % 18) + 1;
}

export function feedsFor(inputs: readonly ValueSignature[], seed = 1): Record<string, Tensor> {
  const random = seededRandom(seed);
  const feeds: Record<string, Tensor> = {};
  for (const input of inputs) {
    const dims = concreteDims(input.shape);
    const count = dims.reduce((a, b) => a * b, 1);
    if (input.type === 'int64') feeds[input.name] = createTensor('int64', BigInt64Array.from({ length: count }, (_, i) => BigInt(integerValue(input.name, i))), dims);
    else if (input.type === 'int32') feeds[input.name] = createTensor('int32', Int32Array.from({ length: count }, (_, i) => integerValue(input.name, i)), dims);
    else if (input.type === 'float32') feeds[input.name] = createTensor('float32', Float32Array.from({ length: count }, random), dims);
    else throw new Error(`feedsFor: no generator for input "${input.name}" of type ${input.type}`);
  }
  return feeds;
}
