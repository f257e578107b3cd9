import { describe, expect, test } from 'vitest';
import { matchInk } from './ink.js';

describe('matchInk', () => {
  const gray = { data: Uint8Array.of(0, 255, 30), width: 3, height: 1, channels: 1 as const };

  test('the same polarity: the image itself, untouched', () => {
    expect(matchInk(gray, { ink: 'dark', modelInk: 'dark' })).toBe(gray);
  });

  test('the other polarity: 255 − v on colour values, alpha kept, the input not modified', () => {
    expect(Array.from(matchInk(gray, { ink: 'dark', modelInk: 'light' }).data)).toEqual([255, 0, 225]);
    expect(Array.from(gray.data)).toEqual([0, 255, 30]);
    const rgba = { data: Uint8Array.of(10, 20, 30, 200, 255, 255, 255, 255), width: 2, height: 1, channels: 4 as const };
    expect(Array.from(matchInk(rgba, { ink: 'light', modelInk: 'dark' }).data)).toEqual([245, 235, 225, 200, 0, 0, 0, 255]);
    const grayAlpha = { data: Uint8Array.of(10, 99), width: 1, height: 1, channels: 2 as const };
    expect(Array.from(matchInk(grayAlpha, { ink: 'light', modelInk: 'dark' }).data)).toEqual([245, 99]);
  });

  test('an unknown polarity', () => {
    expect(() => matchInk(gray, { ink: 'white' as 'light', modelInk: 'dark' })).toThrow('[twinembed:image] ink: expected "light" or "dark", got "white"');
  });
});
