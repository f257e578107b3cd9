// Stroke polarity: drawings come as light strokes on dark (MNIST, models/omniglot) or dark strokes on
// light paper (Lake's one-shot runs, scans). A model states the one it takes (twinembed.json
// "image": {"ink": …}); a caller that knows its images' polarity turns them to the model's.
import { fail } from '../errors.js';
import type { RasterImage } from './preprocess-image.js';

export const INKS = ['light', 'dark'] as const;
/** 'light': strokes lighter than the background; 'dark': darker. */
export type Ink = (typeof INKS)[number];

export interface MatchInkOptions {
  /** The polarity of `image`. */
  ink: Ink;
  /** The polarity the model takes (its manifest's image.ink). */
  modelInk: Ink;
}

/** The image itself when the polarities agree, else a copy with every colour value v → 255 − v (alpha kept). */
export function matchInk(image: RasterImage, options: MatchInkOptions): RasterImage {
  for (const key of ['ink', 'modelInk'] as const) {
    if (!INKS.includes(options[key])) fail('image', `${key}: expected "light" or "dark", got ${JSON.stringify(options[key])}`);
  }
  if (options.ink === options.modelInk) return image;
  const { channels } = image;
  const data = new Uint8Array(image.data);
  const colours = channels === 2 || channels === 4 ? channels - 1 : channels;
  for (let i = 0; i < data.length; i++) if (i % channels < colours) data[i] = 255 - data[i]!;
  return { ...image, data };
}
