// An image-classification folder (one folder per class, nested folders allowed) → one contiguous
// float tensor [count, c, h, w] ready for an image model, with labels, groups and names, for
// training and evaluation. Decoding is pngjs / jpeg-js; preprocessing is core's preprocessImage.
import { fail, preprocessImage, type ImagePreprocessing, type RasterImage } from '@twinembed/core';
import { decodeImageFile } from '../embed/decode-image.js';
import { readFolderLayout, type FolderLayout, type LayoutOptions } from './image-folder-layout.js';

export interface LoadImageFolderOptions extends LayoutOptions, Partial<Omit<ImagePreprocessing, 'channels'>> {
  /** 1: grayscale (BT.601 luma), 3: RGB. */
  channels: 1 | 3;
  /**
   * Images whose size differs from the first image's: refused with an error naming the file (default),
   * or resized to the target like every other image. (The target is height × width, default the first image's.)
   */
  sizeMismatch?: 'resize' | 'refuse';
  /** Called as images are decoded, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImageFolder extends FolderLayout {
  /** All images, preprocessed, one after another: image i is images.subarray(i · imageSize, (i + 1) · imageSize). */
  images: Float32Array;
  count: number;
  imageSize: number;
  /** What was applied: defaults are the first image's size, layout nchw, scale 1/255, mean 0, std 1, no inversion. */
  preprocessing: ImagePreprocessing;
}

/** Files read at once: enough to hide file-system latency, few enough not to hold many buffers. */
const READ_AHEAD = 32;

function checkOptions(options: LoadImageFolderOptions): void {
  if (options.channels !== 1 && options.channels !== 3) fail('data', `channels: expected 1 or 3, got ${String(options.channels)}`);
  if (options.sizeMismatch !== undefined && options.sizeMismatch !== 'resize' && options.sizeMismatch !== 'refuse') fail('data', `sizeMismatch: expected "resize" or "refuse", got ${JSON.stringify(options.sizeMismatch)}`);
  for (const key of ['emptyClasses', 'nonImages'] as const) {
    const value = options[key];
    if (value !== undefined && value !== 'skip' && value !== 'refuse') fail('data', `${key}: expected "skip" or "refuse", got ${JSON.stringify(value)}`);
  }
  for (const key of ['height', 'width'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) fail('data', `${key}: expected a positive integer, got ${value}`);
  }
}

function resolvePreprocessing(options: LoadImageFolderOptions, first: RasterImage): ImagePreprocessing {
  return {
    height: options.height ?? first.height, width: options.width ?? first.width, channels: options.channels,
    layout: options.layout ?? 'nchw', scale: options.scale ?? 1 / 255, mean: options.mean ?? [0], std: options.std ?? [1], invert: options.invert ?? false,
    resize: options.resize ?? 'area',
  };
}

/** Runs `task(i)` for i in [0, count) with at most `width` in flight; the first failure stops the rest. */
async function forEachLimited(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const i = next++;
      await task(i).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

/** Reads every image of an image-classification folder; see LoadImageFolderOptions for the choices on bad input. */
export async function loadImageFolder(dir: string, options: LoadImageFolderOptions): Promise<ImageFolder> {
  checkOptions(options);
  const layout = await readFolderLayout(dir, options);
  const { paths } = layout;
  const first = await decodeImageFile(paths[0]!);
  const prep = resolvePreprocessing(options, first);
  const imageSize = prep.channels * prep.height * prep.width;
  const images = new Float32Array(paths.length * imageSize);
  let done = 0;
  const put = (i: number, image: RasterImage): void => {
    if (options.sizeMismatch !== 'resize' && (image.width !== first.width || image.height !== first.height)) {
      fail('data', `"${paths[i]}" is ${image.width}×${image.height}, but "${paths[0]}" is ${first.width}×${first.height}: expected one image size (or resize mixed sizes: sizeMismatch "resize", --size-mismatch resize)`);
    }
    images.set(preprocessImage(image, prep), i * imageSize);
    options.onProgress?.(++done, paths.length);
  };
  put(0, first);
  await forEachLimited(paths.length - 1, READ_AHEAD, async (k) => put(k + 1, await decodeImageFile(paths[k + 1]!)));
  return { ...layout, images, count: paths.length, imageSize, preprocessing: prep };
}
