/**
 * Binary searches over sorted offsets (line starts, chunk starts, node starts, repaired lines):
 * one place for the bounds arithmetic that is easy to get off by one.
 */

/** The first index of `xs` (sorted ascending) holding a value ≥ x; xs.length when none does. */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last index of `xs` (sorted ascending) holding a value ≤ x; -1 when none does. */
export function lastAtOrBefore(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
