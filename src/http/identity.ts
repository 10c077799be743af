import type { Table } from 'drizzle-orm';
import { ConfigurationError, VersionError } from '../errors.js';
import { tableMeta, type TableMeta } from '../schema/table-meta.js';
import { keyValueProblem } from '../write/key-value.js';
import { readKey } from '../write/target.js';
import type { TargetOf } from '../write/versioned-update.js';
import { decodeKeyValue, encodeKeyValue, expectedText } from './key-codec.js';
import { isVersion } from '../schema/version-number.js';
import { describeValue } from '../describe-value.js';
import { parseVersionText } from './version-text.js';

/**
 * The identity of a row as read: `"<pk>,<version>"` (django-concurrency's `identity` template
 * filter), e.g. `"7,3"`; a composite key lists its parts in the primary key's column order,
 * `"2,15,1"`. Each key part is percent-encoded (`encodeURIComponent`), so a comma or `%` inside a
 * text key cannot shift the parts: `{ postId: 1, tag: 'a,b' }` at version 2 is `"1,a%2Cb,2"`.
 * Put it in a hidden form field or a list-editable row and read it back with {@link parseIdentity}.
 * An identity is not signed: it says which row and which version the client saw, not who may write
 * it (authorise the key as for any other request; use {@link createVersionSigner} to make the
 * version tamper-evident).
 * Throws `ConfigurationError` for a table without version column, a key missing from `row`, not
 * a value of its column or holding a NUL character, and
 * `VersionError` when `row` holds no usable version.
 * @example
 * identity(products, { id: 7, name: 'Lamp', version: 3 })       // '7,3'
 * identity(memberships, { orgId: 2, userId: 15, version: 1 })   // '2,15,1'
 */
export function identity<T extends Table>(table: T, row: TargetOf<T>): string {
  const meta = tableMeta(table);
  const key = readKey(meta, row);
  const version = (row as Record<string, unknown>)[meta.version.key];
  if (!isVersion(version)) {
    throw new VersionError(
      `identity of "${meta.name}": version "${meta.version.key}" must be a positive integer, got ${describeValue(version)}`,
      version,
    );
  }
  const parts = meta.primaryKey.map(({ key: field, column }) => {
    const text = encodeKeyValue(meta.name, field, column, key[field]);
    if (text.includes('\u0000')) {
      throw new ConfigurationError(`identity of "${meta.name}": primary key "${field}" holds a NUL character, which identities never carry`);
    }
    if (/\p{Surrogate}/u.test(text)) {
      throw new ConfigurationError(`identity of "${meta.name}": primary key "${field}" holds a lone UTF-16 surrogate, which cannot be encoded`);
    }
    return encodeURIComponent(text);
  });
  return [...parts, String(version)].join(',');
}

/**
 * Reads an identity written by {@link identity} back into a target for the versioned writes:
 * `{ ...primaryKey, version }`, each key part typed as its column reads it.
 * Anything else is a `VersionError` (never a target that could update another row): not a
 * string, the wrong number of parts, a version that is not a positive integer in plain decimal,
 * a key part that is not the canonical text of a value of its column (`"1.5"`, `""`, `"abc"`,
 * `"01"`, `"+1"`, `"1e3"` for an integer key) or not percent-encoded as `identity()` writes it,
 * a value the column cannot hold (`2147483648` for `integer`, `40000` for `smallint`, `-1` for
 * `int unsigned`, `x` for `uuid`), or a NUL character (`%00`) anywhere in a key.
 * @example
 * const target = parseIdentity(products, form.get('identity'))   // { id: 7, version: 3 }
 * await versionedUpdate(db, products, target, { name: form.get('name') })
 * parseIdentity(memberships, '2,15,1')                            // { orgId: 2, userId: 15, version: 1 }
 * parseIdentity(products, '7,3,9')                                // VersionError: 3 parts, expected 2
 */
export function parseIdentity<T extends Table>(table: T, text: unknown): TargetOf<T> {
  const meta = tableMeta(table);
  if (typeof text !== 'string') throw bad(meta, text, `must be a string, got ${describeValue(text)}`);
  const parts = text.split(',');
  const expected = meta.primaryKey.length + 1;
  if (parts.length !== expected) {
    throw bad(meta, text, `has ${parts.length} comma-separated part(s), expected ${expected} (${shape(meta)})`);
  }
  const target: Record<string, unknown> = {};
  meta.primaryKey.forEach(({ key: field, column }, i) => {
    const part = parts[i]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      throw bad(meta, text, `key "${field}" is not valid percent-encoding: ${describeValue(part)}`);
    }
    if (encodeURIComponent(decoded) !== part) {
      throw bad(meta, text, `key "${field}" is not percent-encoded as identity() writes it: ${describeValue(part)}`);
    }
    if (decoded.includes('\u0000')) throw bad(meta, text, `key "${field}" holds a NUL character, which identities never carry`);
    const value = decodeKeyValue(meta.name, field, column, decoded);
    if (value === undefined) {
      throw bad(meta, text, `key "${field}" must be ${expectedText(meta.name, field, column)}, got ${describeValue(decoded)}`);
    }
    const problem = keyValueProblem(meta.adapter, column, value);
    if (problem !== undefined) throw bad(meta, text, `key "${field}" ${problem}, got ${describeValue(decoded)}`);
    target[field] = value;
  });
  const versionText = parts[expected - 1]!;
  const version = parseVersionText(versionText);
  if (version === undefined) {
    throw bad(meta, text, `version must be a positive integer in plain decimal, got ${describeValue(versionText)}`);
  }
  target[meta.version.key] = version;
  return target as TargetOf<T>;
}

function shape(meta: TableMeta): string {
  return [...meta.primaryKey.map(({ key }) => key), meta.version.key].join(',');
}

function bad(meta: TableMeta, text: unknown, reason: string): VersionError {
  const shown = typeof text === 'string' ? ` ${describeValue(text)}` : '';
  return new VersionError(`identity${shown} for "${meta.name}": ${reason}`, text);
}
