// Drawings are kept as strokes, not pixels, so one drawing can be re-rendered at the model's input
// size, centred on its bounding box (where on the pad it was drawn does not matter) and jittered
// (shifted, scaled, rotated, thicker or thinner) to make training and evaluation variants.
import type { RasterImage } from '@twinembed/web';

/** Pad coordinates in [0, 1]. */
export interface Point { x: number; y: number }
export type Stroke = readonly Point[];

export interface Jitter {
  /** Shift as a fraction of the side. */
  dx: number;
  dy: number;
  scale: number;
  /** Radians. */
  rotation: number;
  /** Line width as a fraction of the side. */
  width: number;
}

export const NO_JITTER: Jitter = { dx: 0, dy: 0, scale: 1, rotation: 0, width: 0.07 };
/** The drawing fills this fraction of the frame (the rest is margin, as in Omniglot and MNIST). */
const FILL = 0.7;

export function randomJitter(next: () => number): Jitter {
  const between = (lo: number, hi: number) => lo + (hi - lo) * next();
  return { dx: between(-0.07, 0.07), dy: between(-0.07, 0.07), scale: between(0.85, 1.1), rotation: between(-0.2, 0.2), width: between(0.055, 0.09) };
}

function bounds(strokes: readonly Stroke[]): { cx: number; cy: number; side: number } {
  const xs = strokes.flatMap((s) => s.map((p) => p.x));
  const ys = strokes.flatMap((s) => s.map((p) => p.y));
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, side: Math.max(x1 - x0, y1 - y0, 1e-3) };
}

export function isEmpty(strokes: readonly Stroke[]): boolean {
  return strokes.every((s) => s.length === 0);
}

/** White strokes on black, `size`×`size` RGBA; `invert` gives dark strokes on white for models that expect paper. */
export function renderStrokes(strokes: readonly Stroke[], size: number, jitter: Jitter = NO_JITTER, invert = false): RasterImage {
  const canvas = new OffscreenCanvas(size, size);
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.fillStyle = '#000';
  g.fillRect(0, 0, size, size);
  const drawn = strokes.filter((s) => s.length > 0);
  if (drawn.length > 0) {
    const { cx, cy, side } = bounds(drawn);
    const k = (FILL * jitter.scale * size) / side;
    const [cos, sin] = [Math.cos(jitter.rotation), Math.sin(jitter.rotation)];
    const place = (p: Point): [number, number] => {
      const [x, y] = [(p.x - cx) * k, (p.y - cy) * k];
      return [size / 2 + jitter.dx * size + cos * x - sin * y, size / 2 + jitter.dy * size + sin * x + cos * y];
    };
    Object.assign(g, { strokeStyle: '#fff', lineWidth: Math.max(jitter.width * size, 1), lineCap: 'round', lineJoin: 'round' });
    for (const stroke of drawn) {
      g.beginPath();
      g.moveTo(...place(stroke[0]!));
      for (const p of stroke.length === 1 ? stroke : stroke.slice(1)) g.lineTo(...place(p));
      g.stroke();
    }
  }
  const { data } = g.getImageData(0, 0, size, size);
  if (invert) for (let i = 0; i < data.length; i += 4) data[i] = data[i + 1] = data[i + 2] = 255 - data[i]!;
  return { data, width: size, height: size, channels: 4 };
}
