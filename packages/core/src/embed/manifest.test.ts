import { describe, expect, test } from 'vitest';
import { parseManifest } from './manifest.js';

describe('parseManifest', () => {
  test('accepts every field the issue names', () => {
    const manifest = { modality: 'image', inputs: { pixels: 'data' }, output: 'pool10', pooling: 'none', normalize: false, maxLength: 128, image: { size: [224, 224], channels: 3, layout: 'nchw', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], invert: false, resize: 'bilinear', ink: 'dark' } };
    expect(parseManifest(JSON.stringify(manifest))).toEqual(manifest);
  });

  test('lists every problem with its path and the value it got', () => {
    expect(() => parseManifest({ pooling: 'avg', maxLength: 0, image: { channels: 2, size: 'big' }, extra: true }, 'm/twinembed.json')).toThrow(
      '[twinembed:manifest] m/twinembed.json is not a valid twinembed manifest: pooling: Invalid option: expected one of "mean"|"cls"|"max"|"last_token"|"none", got "avg"; '
      + 'maxLength: Too small: expected number to be >0, got 0; image.size: expected a positive integer or [height, width], got "big"; image.channels: Invalid option: expected one of 1|3, got 2; (top level): Unrecognized key: "extra"',
    );
  });

  test('image.resize and image.ink take only their named values', () => {
    expect(() => parseManifest({ image: { resize: 'bicubic', ink: 'white' } })).toThrow(
      '[twinembed:manifest] twinembed.json is not a valid twinembed manifest: image.resize: Invalid option: expected one of "area"|"bilinear", got "bicubic"; image.ink: Invalid option: expected one of "light"|"dark", got "white"',
    );
  });

  test('text that is not JSON', () => {
    expect(() => parseManifest('{pooling: mean}')).toThrow(/^\[twinembed:manifest\] twinembed.json: expected JSON, got text that does not parse/);
  });
});
