// A one-line progress bar on stderr for long CLI work. Drawn only when enabled (stderr is a
// terminal and output is not --json), at most ten times a second, and erased when done.
import type { CliIo } from './main.js';

export interface Progress {
  update(done: number): void;
  done(): void;
}

const WIDTH = 30;

export function createProgress(io: CliIo, label: string, total: number, enabled: boolean): Progress {
  if (!enabled || total <= 0) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let last = 0;
  const draw = (n: number): void => {
    const filled = Math.round((n / total) * WIDTH);
    const seconds = (Date.now() - start) / 1000;
    io.err(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${n.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${seconds.toFixed(1)}s`);
  };
  return {
    update(n) {
      const now = Date.now();
      if (now - last < 100 && n < total) return;
      last = now;
      draw(n);
    },
    done() {
      io.err('\r\x1b[2K');
    },
  };
}

/** Whether a bar may be drawn: stderr is a terminal and the command is not printing JSON. */
export function progressEnabled(json: boolean | undefined): boolean {
  return !json && process.stderr.isTTY === true;
}
