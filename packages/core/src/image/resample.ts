// Separable resize for preprocessImage: per output pixel of one axis, the input pixels it reads and
// their weights. 'area' averages the exact fractional span an output pixel covers when shrinking
// (OpenCV's INTER_AREA) and is bilinear when enlarging; 'bilinear' is half-pixel bilinear at any ratio.
import { fail } from '../errors.js';

export const RESIZE_FILTERS = ['area', 'bilinear'] as const;
export type ResizeFilter = (typeof RESIZE_FILTERS)[number];

/** outSize × taps input indices and weights (fixed stride; unused taps have weight 0 and a valid index). */
export interface AxisWeights {
  taps: number;
  index: Int32Array;
  weight: Float64Array;
}

function identityAxis(size: number): AxisWeights {
  return { taps: 1, index: Int32Array.from({ length: size }, (_, i) => i), weight: new Float64Array(size).fill(1) };
}

/** Half-pixel centres, clamped at the edges (torch interpolate, align_corners=False, antialias=False). */
function bilinearAxis(inSize: number, outSize: number): AxisWeights {
  const index = new Int32Array(2 * outSize);
  const weight = new Float64Array(2 * outSize);
  for (let o = 0; o < outSize; o++) {
    const x = Math.min(Math.max((o + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
    const i0 = Math.floor(x);
    const f = x - i0;
    [index[2 * o], index[2 * o + 1]] = [i0, Math.min(i0 + 1, inSize - 1)];
    [weight[2 * o], weight[2 * o + 1]] = [1 - f, f];
  }
  return { taps: 2, index, weight };
}

/**
 * Output pixel o covers input span [o·r, (o+1)·r), r = in/out; input pixel i is weighted by its overlap
 * with that span, divided by r. Positions are scaled by outSize so every overlap is an exact integer.
 */
function areaAxis(inSize: number, outSize: number): AxisWeights {
  const taps = Math.ceil(inSize / outSize) + 1;
  const index = new Int32Array(taps * outSize);
  const weight = new Float64Array(taps * outSize);
  for (let o = 0; o < outSize; o++) {
    const [lo, hi] = [o * inSize, (o + 1) * inSize];
    const first = Math.floor(lo / outSize);
    for (let t = 0; t < taps; t++) {
      const i = Math.min(first + t, inSize - 1);
      const overlap = first + t < inSize ? Math.min((i + 1) * outSize, hi) - Math.max(i * outSize, lo) : 0;
      index[o * taps + t] = i;
      weight[o * taps + t] = overlap > 0 ? overlap / inSize : 0;
    }
  }
  return { taps, index, weight };
}

export function axisWeights(inSize: number, outSize: number, filter: ResizeFilter): AxisWeights {
  if (filter !== 'area' && filter !== 'bilinear') fail('image', `resize: expected one of ${RESIZE_FILTERS.join(', ')}, got ${JSON.stringify(filter)}`);
  if (inSize === outSize) return identityAxis(inSize);
  return filter === 'area' && outSize < inSize ? areaAxis(inSize, outSize) : bilinearAxis(inSize, outSize);
}

/** plane [inH × inW] → [ys outputs × xs outputs], rows first, then columns (float64 throughout). */
export function resamplePlane(plane: Float64Array, inWidth: number, ys: AxisWeights, xs: AxisWeights): Float64Array {
  const inHeight = plane.length / inWidth;
  const outHeight = ys.index.length / ys.taps;
  const outWidth = xs.index.length / xs.taps;
  const rows = new Float64Array(inHeight * outWidth);
  for (let y = 0; y < inHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let s = 0;
      for (let t = 0; t < xs.taps; t++) s += xs.weight[x * xs.taps + t]! * plane[y * inWidth + xs.index[x * xs.taps + t]!]!;
      rows[y * outWidth + x] = s;
    }
  }
  const out = new Float64Array(outHeight * outWidth);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let s = 0;
      for (let t = 0; t < ys.taps; t++) s += ys.weight[y * ys.taps + t]! * rows[ys.index[y * ys.taps + t]! * outWidth + x]!;
      out[y * outWidth + x] = s;
    }
  }
  return out;
}
