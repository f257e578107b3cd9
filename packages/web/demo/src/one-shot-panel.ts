// Panel 1: draw, enroll drawings as classes (again under a name: one more example of it), and
// recognise a new drawing by its nearest classes, through the gallery's one-shot classifier.
import { byId, element, format, onAction } from './dom.js';
import { createDrawingPad } from './drawing-pad.js';
import type { Gallery } from './gallery.js';
import type { ImageModel } from './image-model.js';
import { isEmpty, renderStrokes } from './strokes.js';

export function mountOneShotPanel(gallery: Gallery, currentModel: () => ImageModel): void {
  const pad = createDrawingPad(byId('pad', HTMLCanvasElement));
  const view = byId('model-view', HTMLCanvasElement);
  const name = byId('class-name', HTMLInputElement);
  const list = byId('gallery', HTMLUListElement);
  const ranking = byId('ranking', HTMLOListElement);
  const status = byId('one-shot-status', HTMLParagraphElement);

  const showModelView = () => {
    const { size } = currentModel();
    const raster = renderStrokes(pad.strokes(), size);
    Object.assign(view, { width: size, height: size });
    view.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(raster.data), size, size), 0, 0);
  };
  const drawing = () => {
    const strokes = pad.strokes();
    if (isEmpty(strokes)) throw new Error('Draw something on the pad first.');
    return strokes;
  };
  pad.onStroke(showModelView);
  byId('clear', HTMLButtonElement).addEventListener('click', () => {
    pad.clear();
    showModelView();
  });

  onAction(byId('enroll', HTMLButtonElement), status, async () => {
    const label = name.value.trim();
    if (label === '') throw new Error('Name the class first.');
    const examples = await gallery.enroll(label, drawing());
    list.replaceChildren(...[...gallery.enrolled].map(([l, drawings]) => element('li', drawings.length > 1 ? `${l} ×${drawings.length}` : l, { 'data-label': l, 'data-examples': String(drawings.length) })));
    const classes = `${gallery.enrolled.size} class${gallery.enrolled.size === 1 ? '' : 'es'}`;
    status.textContent = `Enrolled "${label}"${examples > 1 ? ` (${examples} drawings)` : ''} — ${classes}.`;
    pad.clear();
    showModelView();
    name.value = '';
  });

  onAction(byId('recognise', HTMLButtonElement), status, async () => {
    ranking.replaceChildren();
    const ranked = await gallery.rank(drawing());
    ranking.replaceChildren(...ranked.map((r) => element('li', `${r.label} — distance ${format(r.distance)}`, { 'data-label': r.label, 'data-distance': String(r.distance) })));
    status.textContent = `Nearest: "${ranked[0]!.label}".`;
  });
  showModelView();
}
