// A tiny image folder for `twinembed train` (as train-command.test.ts makes): <root>/<class>/<i>.png,
// each class a seeded random 8×8 blob on a 16×16 canvas, its images shifted copies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../packages/core/src/random.js';
import { encodePng } from '../../packages/node/src/data/encode-png.js';

export const GLYPH_SIDE = 16;

/** Writes `classes` classes of `per` images under `root` (created) and returns `root`. */
export function writeGlyphFolder(root: string, classes: number, per: number, seed: number): string {
  const rng = seededRandom(seed);
  for (let c = 0; c < classes; c++) {
    const glyph = Array.from({ length: 64 }, () => (rng() < 0.4 ? 255 : 0));
    mkdirSync(join(root, `c${c}`), { recursive: true });
    for (let i = 0; i < per; i++) {
      const [dx, dy] = [4 + Math.floor(rng() * 2), 4 + Math.floor(rng() * 2)];
      const data = new Uint8Array(GLYPH_SIDE * GLYPH_SIDE);
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) data[(y + dy) * GLYPH_SIDE + x + dx] = glyph[y * 8 + x]!;
      writeFileSync(join(root, `c${c}`, `${i}.png`), encodePng({ data, width: GLYPH_SIDE, height: GLYPH_SIDE, channels: 1 }));
    }
  }
  return root;
}
