// The live loss plot: one SVG polyline over the steps so far, scaled to the largest loss seen.
// The values are also kept in `data-losses`, so what the plot shows can be read back exactly.

const SVG = 'http://www.w3.org/2000/svg';

export interface LossPlot {
  reset(): void;
  add(loss: number): void;
}

export function createLossPlot(svg: SVGSVGElement): LossPlot {
  const { width, height } = svg.viewBox.baseVal;
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '1.5');
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', '4');
  label.setAttribute('y', '12');
  label.setAttribute('font-size', '10');
  svg.replaceChildren(line, label);
  const losses: number[] = [];

  const draw = () => {
    const top = Math.max(...losses, 1e-9);
    const dx = width / Math.max(losses.length - 1, 1);
    line.setAttribute('points', losses.map((l, i) => `${(i * dx).toFixed(1)},${(height - (l / top) * (height - 16)).toFixed(1)}`).join(' '));
    label.textContent = losses.length > 0 ? `loss ${losses.at(-1)!.toFixed(4)} (max ${top.toFixed(4)})` : '';
    svg.dataset.losses = losses.join(',');
  };
  return {
    reset() {
      losses.length = 0;
      draw();
    },
    add(loss) {
      losses.push(loss);
      draw();
    },
  };
}
