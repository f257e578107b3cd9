// Image inputs → the pixel feed: decoded rasters are preprocessed per the spec; a Float32Array
// is taken as already preprocessed and only its size is checked.
import { fail } from '../errors.js';
import { preprocessImage, type RasterImage } from '../image/preprocess-image.js';
import { createTensor, type Tensor } from '../runtime/runtime.js';
import type { EmbedSpec, ImageSpec } from './model-spec.js';

export type ImageInput = RasterImage | Float32Array;

function isRaster(input: unknown): input is RasterImage {
  return typeof input === 'object' && input !== null && 'data' in input && 'width' in input && 'height' in input;
}

export function imageFeeds(inputs: readonly unknown[], spec: EmbedSpec): Record<string, Tensor> {
  const { pixels, image } = spec as ImageSpec;
  const size = image.channels * image.height * image.width;
  const data = new Float32Array(inputs.length * size);
  inputs.forEach((input, i) => {
    if (typeof input === 'string' || (typeof input === 'object' && input !== null && 'ids' in input)) {
      fail('embed', `input ${i}: expected an image for this image model, got ${typeof input === 'string' ? 'text' : 'token ids'}`);
    }
    const values = input instanceof Float32Array ? input : isRaster(input) ? preprocessImage(input, image) : fail('embed', `input ${i}: expected a decoded image or a Float32Array, got ${Object.prototype.toString.call(input)}`);
    if (values.length !== size) fail('embed', `input ${i}: expected ${size} floats (${image.channels}×${image.height}×${image.width}), got ${values.length}`);
    data.set(values, i * size);
  });
  const dims = image.layout === 'nchw' ? [inputs.length, image.channels, image.height, image.width] : [inputs.length, image.height, image.width, image.channels];
  return { [pixels.name]: createTensor('float32', data, dims) };
}
