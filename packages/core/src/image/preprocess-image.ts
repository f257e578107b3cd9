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

/** Channel c (0..2 of RGB) of pixel i, ignoring alpha; gray sources give the same value for every channel. */
function sample(img: RasterImage, i: number, c: number): number {
  return img.channels <= 2 ? img.data[i * img.channels]! : img.data[i * img.channels + c]!;
}

/** ITU-R BT.601 luma, as PIL's convert('L'). */
function pixel(img: RasterImage, i: number, c: number, gray: boolean): number {
  if (!gray || img.channels <= 2) return sample(img, i, c);
  return 0.299 * sample(img, i, 0) + 0.587 * sample(img, i, 1) + 0.114 * sample(img, i, 2);
}

function axis(out: number, inSize: number, outSize: number): [number, number, number] {
  const x = Math.min(Math.max((out + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
  const x0 = Math.floor(x);
  return [x0, Math.min(x0 + 1, inSize - 1), x - x0];
}

export function preprocessImage(img: RasterImage, prep: ImagePreprocessing): Float32Array {
  if (img.data.length !== img.width * img.height * img.channels) {
    fail('image', `raster of ${img.width}×${img.height}×${img.channels}: expected ${img.width * img.height * img.channels} bytes, got ${img.data.length}`);
  }
  const { height: H, width: W, channels: C } = prep;
  const out = new Float32Array(C * H * W);
  const gray = C === 1;
  for (let y = 0; y < H; y++) {
    const [y0, y1, fy] = axis(y, img.height, H);
    for (let x = 0; x < W; x++) {
      const [x0, x1, fx] = axis(x, img.width, W);
      for (let c = 0; c < C; c++) {
        const at = (yy: number, xx: number) => pixel(img, yy * img.width + xx, c, gray);
        const v = (at(y0, x0) * (1 - fx) + at(y0, x1) * fx) * (1 - fy) + (at(y1, x0) * (1 - fx) + at(y1, x1) * fx) * fy;
        let s = v * prep.scale;
        if (prep.invert) s = 1 - s;
        s = (s - prep.mean[Math.min(c, prep.mean.length - 1)]!) / prep.std[Math.min(c, prep.std.length - 1)]!;
        out[prep.layout === 'nchw' ? c * H * W + y * W + x : (y * W + x) * C + c] = s;
      }
    }
  }
  return out;
}
