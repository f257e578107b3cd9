// The drawing pad: pointer strokes (mouse, pen or touch) drawn white on black, as the model's inputs
// are, and kept as strokes in [0, 1] pad coordinates for re-rendering at the model's size.
import type { Point, Stroke } from './strokes.js';

export interface DrawingPad {
  strokes(): readonly Stroke[];
  clear(): void;
  /** Called after every finished stroke. */
  onStroke(listener: () => void): void;
}

/** As a fraction of the pad's side. */
const LINE_WIDTH = 0.07;

function paint(canvas: HTMLCanvasElement, strokes: readonly Stroke[]): void {
  const g = canvas.getContext('2d')!;
  const at = (p: Point): [number, number] => [p.x * canvas.width, p.y * canvas.height];
  g.fillStyle = '#000';
  g.fillRect(0, 0, canvas.width, canvas.height);
  Object.assign(g, { strokeStyle: '#fff', lineWidth: LINE_WIDTH * canvas.width, lineCap: 'round', lineJoin: 'round' });
  for (const stroke of strokes.filter((s) => s.length > 0)) {
    g.beginPath();
    g.moveTo(...at(stroke[0]!));
    for (const p of stroke.length === 1 ? stroke : stroke.slice(1)) g.lineTo(...at(p)); // one point: a dot
    g.stroke();
  }
}

export function createDrawingPad(canvas: HTMLCanvasElement): DrawingPad {
  const strokes: Point[][] = [];
  const listeners: (() => void)[] = [];
  let current: Point[] | undefined;
  const at = (event: PointerEvent): Point => {
    const box = canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height };
  };
  const finish = () => {
    if (!current) return;
    current = undefined;
    for (const listener of listeners) listener();
  };

  canvas.style.touchAction = 'none';
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    strokes.push((current = [at(event)]));
    paint(canvas, strokes);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!current) return;
    current.push(at(event));
    paint(canvas, strokes);
  });
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointercancel', finish);
  paint(canvas, strokes);

  return {
    strokes: () => strokes.map((s) => [...s]),
    clear() {
      strokes.length = 0;
      current = undefined;
      paint(canvas, strokes);
    },
    onStroke: (listener) => void listeners.push(listener),
  };
}
