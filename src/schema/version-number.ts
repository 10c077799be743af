/**
 * True for a usable version value: a positive safe integer (what a version column holds, what a
 * target must carry, what a version column's default must be). Not `0`, negatives, fractions,
 * `NaN`, `Infinity`, integers past `Number.MAX_SAFE_INTEGER` (no longer exact), numeric strings
 * or bigints. No SQL involved.
 * @example
 * isVersion(3) // true;  isVersion(0), isVersion(1.5), isVersion('3'), isVersion(3n) // false
 */
export function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
