/**
 * Versions as HTTP entity tags (RFC 9110 §8.8.3) and the `If-Match` precondition (§13.1.1).
 * A version `3` is the strong tag `"3"`; only strong comparison is used, so a weak tag never
 * matches and never becomes a version.
 */
import { VersionError } from '../errors.js';
import { PreconditionRequiredError } from './precondition-required-error.js';
import { isVersion } from '../schema/version-number.js';
import { describeValue } from '../describe-value.js';
import { parseVersionText } from './version-text.js';

/** What {@link parseIfMatch} accepts: a header value as `Headers.get()` or Node's `req.headers` give it. */
export type IfMatchHeader = string | readonly string[] | null | undefined;

/**
 * The strong ETag of a version: the version in plain decimal, quoted, e.g. `"3"`.
 * `VersionError` for anything but a positive safe integer.
 * @example
 * c.header('ETag', versionETag(row.version))   // ETag: "3"
 */
export function versionETag(version: number): string {
  if (!isVersion(version)) throw new VersionError(`an ETag needs a positive integer version, got ${describeValue(version)}`, version);
  return `"${version}"`;
}

/**
 * The version an `If-Match` header asks for, with strong comparison (RFC 9110 §13.1.1):
 * - absent, empty or blank → `undefined` (no precondition);
 * - `*` → `'*'` (any current version; no version to check);
 * - `"3"` → `3`; a list (`"3", "3"`, `W/"2", "3"`) is accepted when its strong tags all name one
 *   version, since an optimistic write compares against exactly one; weak tags in a list are skipped,
 *   as they can never match.
 * A `VersionError` (answer 400) for: a header of weak tags only (`W/"3"` never matches), a list
 * naming two different versions, a strong tag that is not a version of this library
 * (`"abc"`, `"03"`, `"0"`), `*` inside a list, an unquoted or unterminated tag, a lowercase `w/`,
 * or anything else outside the RFC grammar.
 * @example
 * parseIfMatch(c.req.header('If-Match'))   // '"3"' → 3, '*' → '*', undefined → undefined
 * parseIfMatch('W/"3"')                    // VersionError: weak tags never match
 */
export function parseIfMatch(header: IfMatchHeader): number | '*' | undefined {
  if (header === null || header === undefined) return undefined;
  const text = typeof header === 'string' ? header : Array.isArray(header) ? header.join(', ') : undefined;
  if (text === undefined) throw new VersionError(`If-Match must be a string, got ${describeValue(header)}`, header);
  const trimmed = trimWhitespace(text);
  if (trimmed === '') return undefined;
  if (trimmed === '*') return '*';
  const tags = scanTags(trimmed, text);
  const strong = tags.filter((t) => !t.weak);
  if (strong.length === 0) {
    throw new VersionError(
      `If-Match ${describeValue(text)} holds weak entity tags only, which never match under strong comparison: send the strong ETag you read`,
      text,
    );
  }
  const versions = new Set<number>();
  for (const { opaque } of strong) {
    const version = parseVersionText(opaque);
    if (version === undefined) {
      throw new VersionError(`If-Match tag "${opaque}" is not a version ETag (versionETag() writes e.g. "3")`, text);
    }
    versions.add(version);
  }
  if (versions.size > 1) {
    throw new VersionError(
      `If-Match ${describeValue(text)} names ${versions.size} different versions: an optimistic write checks exactly one, send the ETag you read`,
      text,
    );
  }
  return [...versions][0]!;
}

/**
 * `parseIfMatch` for endpoints that refuse unconditional writes: the version to check, or a
 * {@link PreconditionRequiredError} (answer 428) when the header is absent or blank, or is `*`
 * (which names no version to compare against). Malformed headers are a `VersionError` (400).
 * @example
 * const version = requireIfMatch(c.req.header('If-Match'))      // 428 when missing
 * const saved = await versionedUpdate(db, products, { id, version }, changes)
 */
export function requireIfMatch(header: IfMatchHeader): number {
  const parsed = parseIfMatch(header);
  if (parsed === undefined) {
    throw new PreconditionRequiredError('If-Match required: send the ETag you read (GET the resource first)', header ?? undefined);
  }
  if (parsed === '*') {
    throw new PreconditionRequiredError('If-Match: * names no version: send the ETag you read (GET the resource first)', header);
  }
  return parsed;
}

/** `text` without leading and trailing spaces and tabs (RFC 9110 OWS), in one pass from each end. */
function trimWhitespace(text: string): string {
  const ows = (ch: string | undefined) => ch === ' ' || ch === '\t';
  let start = 0;
  let end = text.length;
  while (start < end && ows(text[start])) start++;
  while (end > start && ows(text[end - 1])) end--;
  return text.slice(start, end);
}

interface Tag {
  weak: boolean;
  opaque: string;
}

/** `#entity-tag` with optional whitespace and empty list elements (RFC 9110 §5.6.1). */
function scanTags(list: string, original: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  const malformed = (why: string) =>
    new VersionError(`If-Match ${describeValue(original)} is malformed at character ${i + 1}: ${why}`, original);
  while (i < list.length) {
    while (i < list.length && (list[i] === ',' || list[i] === ' ' || list[i] === '\t')) i++;
    if (i >= list.length) break;
    let weak = false;
    if (list.startsWith('W/', i)) {
      weak = true;
      i += 2;
    }
    if (list[i] !== '"') throw malformed(list[i] === '*' ? '"*" must stand alone' : 'expected a quoted entity tag such as "3"');
    const end = list.indexOf('"', i + 1);
    if (end < 0) throw malformed('unterminated entity tag');
    const opaque = list.slice(i + 1, end);
    for (const ch of opaque) {
      const code = ch.charCodeAt(0);
      if (!(code === 0x21 || (code >= 0x23 && code <= 0x7e) || (code >= 0x80 && code <= 0xff))) {
        throw malformed(`character ${JSON.stringify(ch)} is not allowed in an entity tag`);
      }
    }
    tags.push({ weak, opaque });
    i = end + 1;
    while (i < list.length && (list[i] === ' ' || list[i] === '\t')) i++;
    if (i < list.length && list[i] !== ',') throw malformed('expected "," between entity tags');
  }
  if (tags.length === 0) throw new VersionError(`If-Match ${describeValue(original)} holds no entity tag`, original);
  return tags;
}
