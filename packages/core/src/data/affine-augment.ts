// Affine distortion of images with bilinear sampling, the augmentation Koch et al. (2015) used on Omniglot.
// Pixel (x, y) has its centre at integer coordinates (x, y), y pointing down; the map is about the image
// centre c = ((w − 1)/2, (h − 1)/2):  p_out = R(rotation) · H(shearX, shearY) · S(scaleX, scaleY) · (p_in − c) + c + t.
// Each output pixel samples the input at the inverse image of its centre; neighbours outside the image
// read as `background`, so an output pixel whose preimage is over one pixel outside is exactly `background`.
import { fail } from '../errors.js';
import { AREA, checkFinite, checkInteger } from './validate.js';

export interface AffineParams {
  /** Degrees, counter-clockwise as displayed: R = [[cos, sin], [−sin, cos]] in y-down coordinates. */
  rotation: number;
  /** Shear angle in radians: x ← x + tan(shearX) · y. */
  shearX: number;
  /** Shear angle in radians: y ← y + tan(shearY) · x. */
  shearY: number;
  scaleX: number;
  scaleY: number;
  /** Pixels, +x to the right. */
  translateX: number;
  /** Pixels, +y down. */
  translateY: number;
}

export const IDENTITY_AFFINE: Readonly<AffineParams> = Object.freeze({
  rotation: 0, shearX: 0, shearY: 0, scaleX: 1, scaleY: 1, translateX: 0, translateY: 0,
});

const QUARTER_TURNS = [[1, 0], [0, 1], [-1, 0], [0, -1]] as const;

/**
 * [cos, sin] of `degrees`, exact at multiples of 90°: Math.cos(π/2) is 6e-17, which would blend a 1e-14
 * share of a neighbour into a quarter turn (a 0 pixel next to a 1 would come out 1e-14).
 */
function cosSin(degrees: number): readonly [number, number] {
  const quarters = degrees / 90;
  if (Number.isInteger(quarters)) return QUARTER_TURNS[((quarters % 4) + 4) % 4]!;
  const t = (degrees * Math.PI) / 180;
  return [Math.cos(t), Math.sin(t)];
}

/** The inverse of R · H · S as [a, b, c, d] (row-major 2 × 2). */
function inverseLinear(p: AffineParams): [number, number, number, number] {
  const [cos, sin] = cosSin(p.rotation);
  const [hx, hy] = [Math.tan(p.shearX), Math.tan(p.shearY)];
  // R · H = [[cos + sin·hy, cos·hx + sin], [−sin + cos·hy, −sin·hx + cos]], then · diag(sx, sy).
  const a = (cos + sin * hy) * p.scaleX;
  const b = (cos * hx + sin) * p.scaleY;
  const c = (cos * hy - sin) * p.scaleX;
  const d = (cos - sin * hx) * p.scaleY;
  const det = a * d - b * c;
  if (!(Math.abs(det) > 1e-12)) {
    fail(AREA, `affine params: expected an invertible map, got determinant ${det} (scale ${p.scaleX}×${p.scaleY}, shear ${p.shearX}, ${p.shearY} rad)`);
  }
  return [d / det, -b / det, -c / det, a / det];
}

function checkParams(params: AffineParams): void {
  for (const key of Object.keys(IDENTITY_AFFINE) as (keyof AffineParams)[]) checkFinite(`affine params.${key}`, params?.[key]);
}

/**
 * `image` holds `channels` planes of height × width (planar, channels = image.length / (height·width));
 * every plane gets the same map. Returns a new Float32Array of the same size.
 */
export function affineAugment(image: Float32Array, height: number, width: number, params: AffineParams, background = 0): Float32Array {
  checkInteger('height', height, 1);
  checkInteger('width', width, 1);
  checkFinite('background', background);
  const plane = height * width;
  if (!(image instanceof Float32Array) || image.length === 0 || image.length % plane !== 0) {
    fail(AREA, `image: expected a Float32Array of k × ${height} × ${width} values, got ${image instanceof Float32Array ? image.length : typeof image}`);
  }
  checkParams(params);
  const [ia, ib, ic, id] = inverseLinear(params);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - cx - params.translateX;
      const dy = y - cy - params.translateY;
      const xi = ia * dx + ib * dy + cx;
      const yi = ic * dx + id * dy + cy;
      for (let offset = 0; offset < image.length; offset += plane) {
        out[offset + y * width + x] = bilinear(image, offset, height, width, xi, yi, background);
      }
    }
  }
  return out;
}

/** The plane at `offset` sampled at (x, y), reading `background` outside it. */
function bilinear(image: Float32Array, offset: number, h: number, w: number, x: number, y: number, background: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return background;
  const fx = x - x0;
  const fy = y - y0;
  const top = (1 - fx) * pixel(image, offset, h, w, x0, y0, background) + fx * pixel(image, offset, h, w, x0 + 1, y0, background);
  const bottom =
    (1 - fx) * pixel(image, offset, h, w, x0, y0 + 1, background) + fx * pixel(image, offset, h, w, x0 + 1, y0 + 1, background);
  return (1 - fy) * top + fy * bottom;
}

/** A plain function, not a closure per sample: a closure here made 105 × 105 images ~20× slower. */
function pixel(image: Float32Array, offset: number, h: number, w: number, x: number, y: number, background: number): number {
  return x >= 0 && y >= 0 && x < w && y < h ? image[offset + y * w + x]! : background;
}
