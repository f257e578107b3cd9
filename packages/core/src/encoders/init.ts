// Parameter initialization for the project's own encoders, seeded so a training run repeats.

/** He (Kaiming) uniform for ReLU layers: U(−√(6/fan_in), √(6/fan_in)), fan_in = dims[1] · kernel area. */
export function heUniform(next: () => number, dims: readonly number[]): Float32Array {
  const fanIn = dims.slice(1).reduce((p, d) => p * d, 1);
  const bound = Math.sqrt(6 / fanIn);
  return Float32Array.from({ length: dims.reduce((p, d) => p * d, 1) }, () => (2 * next() - 1) * bound);
}

/** PyTorch's default for Linear and Conv: U(−1/√fan_in, 1/√fan_in). */
export function torchDefaultUniform(next: () => number, dims: readonly number[], fanIn = dims.slice(1).reduce((p, d) => p * d, 1)): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return Float32Array.from({ length: dims.reduce((p, d) => p * d, 1) }, () => (2 * next() - 1) * bound);
}
