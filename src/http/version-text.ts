/**
 * The one textual form of a version shared by identities, signed tokens and ETags: a positive
 * safe integer in canonical decimal (`"3"`; never `"03"`, `"+3"`, `"3.0"`, `"0"` or `"-1"`).
 */

import { isVersion } from '../schema/version-number.js';

const CANONICAL = /^[1-9][0-9]{0,15}$/;

/**
 * The version written in `text`, or `undefined` when `text` is not a canonical positive safe integer.
 * @example
 * parseVersionText('3') // 3;  parseVersionText('03'), parseVersionText('3.0') // undefined
 */
export function parseVersionText(text: string): number | undefined {
  if (!CANONICAL.test(text)) return undefined;
  const value = Number(text);
  return isVersion(value) ? value : undefined;
}

/**
 * A short, quoted description of a bad value for error messages (long strings are cut).
 * @example
 * describe('x') // '"x"';  describe(3n) // '3n';  describe({}) // 'object'
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
