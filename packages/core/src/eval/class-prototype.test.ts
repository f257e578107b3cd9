import { expect, test } from 'vitest';
import { seededUniform } from '../random.js';
import { classPrototype } from './class-prototype.js';

test('the mean of the chosen rows, written at the offset; one row is copied bit for bit', () => {
  const dim = 5;
  const data = seededUniform(1, 6 * dim, -3, 3);
  const out = new Float32Array(3 * dim).fill(9);
  classPrototype(out, dim, data, dim, [4, 0, 2]);
  for (let j = 0; j < dim; j++) expect(out[dim + j]).toBeCloseTo((data[4 * dim + j]! + data[j]! + data[2 * dim + j]!) / 3, 6);
  expect(Array.from(out.subarray(0, dim))).toEqual(new Array(dim).fill(9)); // nothing outside [at, at + dim) is touched
  classPrototype(out, 0, data, dim, Int32Array.of(3));
  expect(Array.from(out.subarray(0, dim))).toEqual(Array.from(data.subarray(3 * dim, 4 * dim)));
});
