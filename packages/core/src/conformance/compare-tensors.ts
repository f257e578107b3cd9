// Compares a runtime's output with an expected tensor: element type and dims exactly, integers
// and bools exactly, floats within |actual − expected| ≤ atol + rtol·|expected| (NaN matches NaN).
import type { Tensor } from '../runtime/runtime.js';

export interface Tolerance {
  atol: number;
  rtol: number;
}

export const EXACT: Tolerance = Object.freeze({ atol: 0, rtol: 0 });

function isFloat(t: Tensor): boolean {
  return t.type === 'float32' || t.type === 'float64';
}

function mismatch(a: number, e: number, tol: Tolerance): number {
  if (Number.isNaN(a) || Number.isNaN(e)) return Number.isNaN(a) && Number.isNaN(e) ? 0 : Infinity;
  if (a === e) return 0;
  const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
  return excess > 0 ? excess : 0;
}

/** Undefined when `actual` matches; otherwise what differs, with the worst element and the number of bad ones. */
export function compareTensors(actual: Tensor, expected: Tensor, tolerance: Tolerance): string | undefined {
  if (actual.type !== expected.type) return `element type: expected ${expected.type}, got ${actual.type}`;
  if (actual.dims.join(',') !== expected.dims.join(',')) return `dims: expected [${expected.dims.join(', ')}], got [${actual.dims.join(', ')}]`;
  const tol = isFloat(expected) ? tolerance : EXACT;
  const a = Array.from(actual.data as ArrayLike<number | bigint>, Number);
  const e = Array.from(expected.data as ArrayLike<number | bigint>, Number);
  let worst = -1;
  let bad = 0;
  e.forEach((v, i) => {
    if (mismatch(a[i]!, v, tol) === 0) return;
    bad++;
    if (worst < 0 || Math.abs(a[i]! - v) > Math.abs(a[worst]! - e[worst]!)) worst = i;
  });
  if (bad === 0) return undefined;
  const diff = Math.abs(a[worst]! - e[worst]!);
  return `${bad} of ${e.length} elements differ beyond atol ${tol.atol.toPrecision(3)}, rtol ${tol.rtol.toPrecision(3)}; worst at ${worst}: expected ${e[worst]}, got ${a[worst]} (|diff| ${diff.toExponential(2)})`;
}

/** Compares every expected output by name; one line per mismatching or missing output. */
export function compareOutputs(actual: Readonly<Record<string, Tensor>>, expected: Readonly<Record<string, Tensor>>, tolerance: Tolerance): string[] {
  return Object.entries(expected).flatMap(([name, e]) => {
    const a = actual[name];
    if (!a) return [`output "${name}": missing (got ${Object.keys(actual).join(', ') || 'none'})`];
    const problem = compareTensors(a, e, tolerance);
    return problem ? [`output "${name}": ${problem}`] : [];
  });
}
