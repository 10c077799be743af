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
