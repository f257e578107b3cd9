// Host-side batching: the rows of a [rows, …] tensor at given indices (a batch from a dataset tensor).
import { fail } from '../errors.js';
import { DATA_TYPES, type TypedArray } from '../onnx/data-type.js';
import { createTensor, type Tensor } from '../runtime/runtime.js';
import { elementCount } from '../onnx/tensor-proto.js';

export function takeRows(tensor: Tensor, rows: readonly number[]): Tensor {
  const [count, ...rest] = tensor.dims;
  if (count === undefined) fail('train', 'take rows: expected a tensor of rank ≥ 1, got a scalar');
  const stride = elementCount(rest);
  const source = tensor.data as TypedArray;
  const out = new (DATA_TYPES[tensor.type].array as unknown as new (n: number) => TypedArray)(rows.length * stride);
  rows.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0 || r >= count) fail('train', `take rows: expected row indices in [0, ${count}), got ${r}`);
    (out as { set(a: ArrayLike<unknown>, o: number): void }).set(source.subarray(r * stride, (r + 1) * stride) as ArrayLike<unknown>, i * stride);
  });
  return createTensor(tensor.type, out, [rows.length, ...rest]);
}
