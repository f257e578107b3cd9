// Rotations as new classes (Vinyals et al. 2016, Snell et al. 2017): a character turned by 90°, 180°
// or 270° is treated as a character of its own, multiplying the training classes. Each turn of a
// group (alphabet) becomes a new group, so within-group batches stay within one turned alphabet.
import { fail } from '../errors.js';

export interface ClassImages {
  /** [n, channels, height, width], row-major. */
  readonly images: Float32Array;
  readonly shape: readonly [channels: number, height: number, width: number];
  /** Class of each image, 0..classes−1. */
  readonly labels: ArrayLike<number>;
  /** Group of each class, indexed by class. */
  readonly classGroups: ArrayLike<number>;
}

export interface RotatedClasses {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly classGroups: Int32Array;
}

/**
 * The images plus each turned by `quarterTurns` (e.g. [1, 2, 3]: 90°, 180°, 270° counter-clockwise).
 * Turn t of class c is class c + t·classes; of group g, group g + t·groups (groups = max group + 1).
 */
export function withRotatedClasses(data: ClassImages, quarterTurns: readonly number[]): RotatedClasses {
  const [channels, height, width] = data.shape;
  if (height !== width) fail('data', `rotated classes: expected square images, got ${height}×${width}`);
  for (const t of quarterTurns) {
    if (!Number.isInteger(t) || t < 1 || t > 3) fail('data', `rotated classes: expected quarter turns among 1, 2, 3, got ${t}`);
  }
  const size = channels * height * width;
  const n = data.labels.length;
  const classes = data.classGroups.length;
  let groups = 0;
  for (let c = 0; c < classes; c++) groups = Math.max(groups, data.classGroups[c]! + 1);
  const copies = quarterTurns.length + 1;
  const images = new Float32Array(n * copies * size);
  const labels = new Int32Array(n * copies);
  images.set(data.images.subarray(0, n * size));
  labels.set(Int32Array.from(data.labels));
  quarterTurns.forEach((turns, k) => {
    const offset = (k + 1) * n;
    for (let i = 0; i < n; i++) {
      rotateInto(data.images.subarray(i * size, (i + 1) * size), images.subarray((offset + i) * size, (offset + i + 1) * size), channels, width, turns);
      labels[offset + i] = data.labels[i]! + (k + 1) * classes;
    }
  });
  const classGroups = new Int32Array(classes * copies);
  for (let k = 0; k < copies; k++) {
    for (let c = 0; c < classes; c++) classGroups[k * classes + c] = data.classGroups[c]! + k * groups;
  }
  return { images, labels, classGroups };
}

/** Counter-clockwise quarter turns of a square [channels, s, s] image: out(y, x) = in(x, s−1−y) per turn. */
export function rotateInto(src: Float32Array, dst: Float32Array, channels: number, s: number, turns: number): void {
  for (let ch = 0; ch < channels; ch++) {
    const base = ch * s * s;
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        let sy = y;
        let sx = x;
        for (let t = 0; t < turns; t++) [sy, sx] = [sx, s - 1 - sy];
        dst[base + y * s + x] = src[base + sy * s + sx]!;
      }
    }
  }
}
