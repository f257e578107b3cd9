// Decoded pixels → the float tensor an image model takes: bilinear resize (half-pixel centres, as
// torchvision's antialias=False), grayscale or RGB, scale, optional inversion, (x − mean) / std, NCHW or NHWC.
import { fail } from '../errors.js';

/** Interleaved 8-bit pixels as decoders return them (gray, gray+alpha, RGB or RGBA). */
export interface RasterImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export interface ImagePreprocessing {
  height: number;
  width: number;
  channels: 1 | 3;
  layout: 'nchw' | 'nhwc';
  scale: number;
  mean: number[];
  std: number[];
  invert: boolean;
}

/** Channel c of pixel i (alpha ignored); gray sources give their one value, gray targets ITU-R BT.601 luma as PIL's convert('L'). */
function pixel(img: RasterImage, i: number, c: number, gray: boolean): number {
  const { data, channels } = img;
  if (channels <= 2) return data[i * channels]!;
  if (!gray) return data[i * channels + c]!;
  return 0.299 * data[i * channels]! + 0.587 * data[i * channels + 1]! + 0.114 * data[i * channels + 2]!;
}

/** Per output index along one axis: the two source indices and the weight of the second (half-pixel centres). */
function axisTable(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const f = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const x = Math.min(Math.max((o + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
    i0[o] = Math.floor(x);
    i1[o] = Math.min(i0[o]! + 1, inSize - 1);
    f[o] = x - i0[o]!;
  }
  return { i0, i1, f };
}

export function preprocessImage(img: RasterImage, prep: ImagePreprocessing): Float32Array {
  if (img.data.length !== img.width * img.height * img.channels) {
    fail('image', `raster of ${img.width}×${img.height}×${img.channels}: expected ${img.width * img.height * img.channels} bytes, got ${img.data.length}`);
  }
  const { height: H, width: W, channels: C } = prep;
  const out = new Float32Array(C * H * W);
  const gray = C === 1;
  // Tables once per image: per-pixel tuples and closures made this ~10× slower.
  const ys = axisTable(img.height, H);
  const xs = axisTable(img.width, W);
  for (let c = 0; c < C; c++) {
    const mean = prep.mean[Math.min(c, prep.mean.length - 1)]!;
    const std = prep.std[Math.min(c, prep.std.length - 1)]!;
    for (let y = 0; y < H; y++) {
      const r0 = ys.i0[y]! * img.width, r1 = ys.i1[y]! * img.width, fy = ys.f[y]!;
      for (let x = 0; x < W; x++) {
        const x0 = xs.i0[x]!, x1 = xs.i1[x]!, fx = xs.f[x]!;
        const v = (pixel(img, r0 + x0, c, gray) * (1 - fx) + pixel(img, r0 + x1, c, gray) * fx) * (1 - fy)
          + (pixel(img, r1 + x0, c, gray) * (1 - fx) + pixel(img, r1 + x1, c, gray) * fx) * fy;
        let s = v * prep.scale;
        if (prep.invert) s = 1 - s;
        out[prep.layout === 'nchw' ? c * H * W + y * W + x : (y * W + x) * C + c] = (s - mean) / std;
      }
    }
  }
  return out;
}
