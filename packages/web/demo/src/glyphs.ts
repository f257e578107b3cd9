// The built-in example set for fine-tuning: a few glyph classes drawn procedurally as strokes, each
// call a new seeded variant (proportions and wobble differ; position and size are jittered later).
import type { Point, Stroke } from './strokes.js';

export type GlyphMaker = (next: () => number) => Stroke[];

const between = (next: () => number, lo: number, hi: number) => lo + (hi - lo) * next();
const line = (x0: number, y0: number, x1: number, y1: number, n = 8): Point[] =>
  Array.from({ length: n + 1 }, (_, i) => ({ x: x0 + ((x1 - x0) * i) / n, y: y0 + ((y1 - y0) * i) / n }));
/** An arc of an ellipse around (0.5, 0.5), angles in turns. */
const arc = (rx: number, ry: number, from: number, to: number, next: () => number): Point[] => {
  const wobble = between(next, 0, 0.04);
  return Array.from({ length: 33 }, (_, i) => {
    const t = 2 * Math.PI * (from + ((to - from) * i) / 32);
    const r = 1 + wobble * Math.sin(3 * t);
    return { x: 0.5 + rx * r * Math.cos(t), y: 0.5 + ry * r * Math.sin(t) };
  });
};
const polygon = (corners: readonly [number, number][]): Point[] =>
  corners.flatMap(([x, y], i) => line(x, y, ...corners[(i + 1) % corners.length]!, 4).slice(0, -1)).concat([{ x: corners[0]![0], y: corners[0]![1] }]);

export const BUILTIN_GLYPHS: Readonly<Record<string, GlyphMaker>> = {
  circle: (next) => [arc(between(next, 0.3, 0.4), between(next, 0.3, 0.4), 0, 1, next)],
  plus: (next) => {
    const [cx, cy] = [between(next, 0.42, 0.58), between(next, 0.42, 0.58)];
    return [line(0.15, cy, 0.85, cy), line(cx, 0.15, cx, 0.85)];
  },
  cross: (next) => {
    const s = between(next, -0.06, 0.06);
    return [line(0.2 + s, 0.2, 0.8 - s, 0.8), line(0.8 + s, 0.2, 0.2 - s, 0.8)];
  },
  triangle: (next) => [polygon([[between(next, 0.4, 0.6), 0.15], [0.85, 0.85], [0.15, 0.85]])],
  square: (next) => {
    const h = between(next, 0.5, 0.7);
    return [polygon([[0.2, 0.5 - h / 2], [0.8, 0.5 - h / 2], [0.8, 0.5 + h / 2], [0.2, 0.5 + h / 2]])];
  },
  zigzag: (next) => {
    const teeth = 3 + Math.floor(next() * 2);
    return [Array.from({ length: 2 * teeth + 1 }, (_, i) => ({ x: 0.1 + (0.8 * i) / (2 * teeth), y: i % 2 === 0 ? 0.35 : 0.65 }))];
  },
  hook: (next) => [[...line(0.35, 0.15, 0.35, between(next, 0.6, 0.7)), ...arc(0.15, 0.15, 0.5, 0, next).map((p) => ({ x: p.x, y: p.y + 0.2 }))]],
  ell: (next) => [[...line(0.3, 0.15, 0.3, 0.85), ...line(0.3, 0.85, between(next, 0.65, 0.85), 0.85)]],
};
