// The training plot as a standalone SVG: training loss (left axis) and validation accuracy (right
// axis, 0–100 %) against the step. Plain SVG text, no plotting library: two polylines and axes.
import type { FitLogEntry } from '@twinembed/core';

const W = 640;
const H = 320;
const PAD = { left: 56, right: 56, top: 24, bottom: 40 };

export function trainingPlotSvg(log: readonly FitLogEntry[], title: string): string {
  const steps = log.map((e) => e.step);
  const maxStep = steps.reduce((m, s) => Math.max(m, s), 1);
  const losses = log.map((e) => e.loss).filter(Number.isFinite);
  const [lo, hi] = losses.length ? [losses.reduce((m, v) => Math.min(m, v), 0), losses.reduce((m, v) => Math.max(m, v), -Infinity)] : [0, 1];
  const x = (step: number) => PAD.left + (step / maxStep) * (W - PAD.left - PAD.right);
  const yLoss = (v: number) => H - PAD.bottom - ((v - lo) / (hi - lo || 1)) * (H - PAD.top - PAD.bottom);
  const yAcc = (v: number) => H - PAD.bottom - v * (H - PAD.top - PAD.bottom);
  const line = (points: [number, number][], color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>`;
  const lossLine = line(log.filter((e) => Number.isFinite(e.loss)).map((e) => [x(e.step), yLoss(e.loss)]), '#1f77b4');
  const validated = log.filter((e) => e.validation !== undefined);
  const accLine = line(validated.map((e) => [x(e.step), yAcc(e.validation!)]), '#d62728');
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const text = (px: number, py: number, s: string, anchor = 'middle', color = '#333') =>
    `<text x="${px.toFixed(1)}" y="${py.toFixed(1)}" text-anchor="${anchor}" fill="${color}" font-size="11">${escapeXml(s)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    text(W / 2, 16, title),
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#999"/>`,
    `<line x1="${W - PAD.right}" y1="${PAD.top}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#999"/>`,
    ...ticks.map((t) => text(PAD.left - 6, yLoss(lo + t * (hi - lo)) + 4, (lo + t * (hi - lo)).toPrecision(3), 'end', '#1f77b4')),
    ...ticks.map((t) => text(W - PAD.right + 6, yAcc(t) + 4, `${Math.round(t * 100)}%`, 'start', '#d62728')),
    ...ticks.map((t) => text(x(t * maxStep), H - PAD.bottom + 16, String(Math.round(t * maxStep)))),
    text(W / 2, H - 6, 'step'),
    text(PAD.left, PAD.top - 6, 'training loss', 'start', '#1f77b4'),
    text(W - PAD.right, PAD.top - 6, 'validation one-shot accuracy', 'end', '#d62728'),
    lossLine,
    validated.length ? accLine : '',
    '</svg>',
    '',
  ].join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
