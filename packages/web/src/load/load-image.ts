// Images decoded by the browser itself (createImageBitmap + OffscreenCanvas, in pages and workers),
// so no image decoder is shipped: the result is the RasterImage every image embedder takes.
//   const image = await loadImage(fileInput.files[0]);   // or a URL, Response, bytes, ImageBitmap
//   const [row] = await embedder.embed([image]);
import { fail, type RasterImage } from '@twinembed/core';
import { readBytes, type ByteSource, type FetchOptions } from './byte-source.js';

export type ImageSource = ByteSource | ImageBitmap;

/** A Blob (PNG, JPEG, anything the browser decodes) or an ImageBitmap → RGBA pixels. */
export async function decodeImageInBrowser(image: Blob | ImageBitmap): Promise<RasterImage> {
  if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
    fail('image', 'decoding an image: expected a browser with createImageBitmap and OffscreenCanvas; in Node use decodeImageFile from @twinembed/node');
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = image instanceof Blob ? await createImageBitmap(image) : image;
  } catch (cause) {
    return fail('image', `cannot decode the image: expected PNG, JPEG or another format the browser reads, got ${image instanceof Blob ? `${image.size} bytes of "${image.type || 'unknown type'}"` : 'an unusable ImageBitmap'} (${(cause as Error).message})`, cause);
  }
  const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d') ?? fail('image', 'cannot get a 2d canvas context');
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { data, width: bitmap.width, height: bitmap.height, channels: 4 };
}

export async function loadImage(source: ImageSource, options: FetchOptions = {}): Promise<RasterImage> {
  if (typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap) return decodeImageInBrowser(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return decodeImageInBrowser(source);
  const bytes = await readBytes(source as ByteSource, options);
  return decodeImageInBrowser(new Blob([bytes as Uint8Array<ArrayBuffer>]));
}
