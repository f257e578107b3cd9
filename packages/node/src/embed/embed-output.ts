// Embedding matrices as the CLI writes them: JSON (one object, input order), JSONL (one row a line),
// NumPy .npy (float32, C order) or raw little-endian float32.
export const FORMATS = ['json', 'jsonl', 'npy', 'f32'] as const;
export type Format = (typeof FORMATS)[number];

function rows(matrix: Float32Array, count: number, dim: number): number[][] {
  return Array.from({ length: count }, (_, r) => Array.from(matrix.subarray(r * dim, (r + 1) * dim)));
}

/** NPY v1.0: magic, version, header length, a Python-dict header padded to 64 bytes, then the data. */
export function npyBytes(matrix: Float32Array, count: number, dim: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${count}, ${dim}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + matrix.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength), 10 + header.length);
  return out;
}

export function formatEmbeddings(format: Format, matrix: Float32Array, count: number, dim: number): Uint8Array {
  if (format === 'npy') return npyBytes(matrix, count, dim);
  if (format === 'f32') return new Uint8Array(matrix.buffer.slice(matrix.byteOffset, matrix.byteOffset + matrix.byteLength));
  const text = format === 'json'
    ? `${JSON.stringify({ dim, count, embeddings: rows(matrix, count, dim) })}\n`
    : rows(matrix, count, dim).map((r) => `${JSON.stringify(r)}\n`).join('');
  return new TextEncoder().encode(text);
}
