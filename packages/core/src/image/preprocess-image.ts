// Decoded pixels → the float tensor an image model takes: resize (area-averaged when shrinking, see
// resample.ts), grayscale or RGB, scale, optional inversion, (x − mean) / std, NCHW or NHWC.
import { fail } from '../errors.js';
import { axisWeights, resamplePlane, type ResizeFilter } from './resample.js';

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
  /**
   * How an image of another size is resized (default 'area'): 'area' is the exact area average when
   * shrinking (antialiased; bilinear when enlarging), 'bilinear' is half-pixel bilinear at any ratio (what
   * this function did before 'area', as torch's interpolate with antialias=False). Values stay floats.
   */
  resize?: ResizeFilter;
}

/** Channel c of every pixel (alpha ignored); gray sources give their one value, gray targets ITU-R BT.601 luma as PIL's convert('L'). */
function channelPlane(img: RasterImage, c: number, gray: boolean): Float64Array {
  const { data, channels } = img;
  const plane = new Float64Array(img.width * img.height);
  for (let i = 0; i < plane.length; i++) {
    plane[i] = channels <= 2 ? data[i * channels]!
      : !gray ? data[i * channels + c]!
      : 0.299 * data[i * channels]! + 0.587 * data[i * channels + 1]! + 0.114 * data[i * channels + 2]!;
  }
  return plane;
}

export function preprocessImage(img: RasterImage, prep: ImagePreprocessing): Float32Array {
  if (img.data.length !== img.width * img.height * img.channels) {
    fail('image', `raster of ${img.width}×${img.height}×${img.channels}: expected ${img.width * img.height * img.channels} bytes, got ${img.data.length}`);
  }
  const { height: H, width: W, channels: C } = prep;
  const filter = prep.resize ?? 'area';
  const ys = axisWeights(img.height, H, filter);
  const xs = axisWeights(img.width, W, filter);
  const out = new Float32Array(C * H * W);
  for (let c = 0; c < C; c++) {
    const mean = prep.mean[Math.min(c, prep.mean.length - 1)]!;
    const std = prep.std[Math.min(c, prep.std.length - 1)]!;
    const values = resamplePlane(channelPlane(img, c, C === 1), img.width, ys, xs);
    for (let p = 0; p < H * W; p++) {
      let s = values[p]! * prep.scale;
      if (prep.invert) s = 1 - s;
      out[prep.layout === 'nchw' ? c * H * W + p : p * C + c] = (s - mean) / std;
    }
  }
  return out;
}
