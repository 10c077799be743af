import { is, Column, Table } from 'drizzle-orm';
import { isSqlValue } from '../write/update-statement.js';
import { getVersionColumn } from '../schema/version-column.js';

/** One field whose submitted value differs from the stored one. */
export interface FieldDiff {
  field: string;
  /** The caller's value. */
  mine: unknown;
  /** The value stored now. */
  current: unknown;
}

/** Options of {@link diffRecords}. */
export interface DiffOptions {
  /** The table both records belong to: its version column is left out of the diff. */
  table?: Table;
  /** The version field to leave out; default the table's version key, else `'version'`. */
  versionKey?: string;
  /** More fields to leave out (e.g. `updatedAt`). */
  ignore?: readonly string[];
}

/**
 * The fields where `mine` (what the caller submitted, a whole row or only the changed fields)
 * differs from `current` (the row stored now, e.g. `RecordModifiedError.current`), in `mine`'s
 * key order: the conflict a user must resolve. Fields `mine` leaves out (or sets to `undefined`)
 * are not compared. The version field is left out: the version key of `table` when given (as the
 * third argument or `{ table }`), else `versionKey`, else `'version'`.
 * Values compare by JSON-ish value, not identity: dates by their instant (a `Date` equals its ISO
 * string, as it arrives in JSON), arrays and objects deeply with key order ignored, bigints by
 * their decimal text, bytes by content, `NaN` equal to `NaN`.
 * With `current` `null` or `undefined` (the row is gone) there is nothing to compare: `[]`.
 * A field whose `mine` value is Drizzle `sql` or a column (a value the database computes, such as
 * `sql\`balance - 10\``) is left out: there is no JS value to compare. Such a value nested
 * deeper, or an object referring to itself, never equals anything and never overflows the stack.
 * @example
 * diffRecords({ name: 'Lamp', priceCents: 2200, version: 1 }, { id: 7, name: 'Lamp', priceCents: 2500, version: 2 })
 * // [{ field: 'priceCents', mine: 2200, current: 2500 }]
 * diffRecords(mine, error.current, products)   // version key taken from the table
 */
export function diffRecords(mine: object, current: object | null | undefined, options?: Table | DiffOptions): FieldDiff[] {
  if (current === null || current === undefined) return [];
  const opts: DiffOptions = isTable(options) ? { table: options } : (options ?? {});
  const versionKey = opts.versionKey ?? (opts.table ? getVersionColumn(opts.table)?.key : undefined) ?? 'version';
  const skip = new Set([versionKey, ...(opts.ignore ?? [])]);
  const stored = current as Record<string, unknown>;
  const out: FieldDiff[] = [];
  for (const [field, value] of Object.entries(mine)) {
    if (value === undefined || skip.has(field) || isSqlValue(value)) continue;
    if (!sameValue(value, stored[field])) out.push({ field, mine: value, current: stored[field] });
  }
  return out;
}

function isTable(value: unknown): value is Table {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) !== null && is(value, Table);
}

/**
 * True when `a` and `b` hold the same JSON-ish value.
 * @example
 * sameValue(new Date(0), '1970-01-01T00:00:00.000Z') // true;  sameValue(5, '5') // false
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return equal(jsonish(a), jsonish(b));
}

/** Stands for a value with no JS counterpart (SQL, a column, a cycle): equal to nothing, itself included. */
const OPAQUE: unique symbol = Symbol('opaque');

/**
 * A short text for a value JSON cannot carry: Drizzle SQL, a column, a circular reference.
 * @example
 * opaqueText(sql`now()`) // '[sql]';  opaqueText(accounts.balance) // '[column "balance"]'
 */
export function opaqueText(value: unknown): string | undefined {
  if (is(value, Column)) return `[column "${value.name}"]`;
  if (isSqlValue(value)) return '[sql]';
  return undefined;
}

/**
 * The value as JSON would see it: dates as ISO text (`toJSON`), bigints as decimal text, bytes as
 * arrays; Drizzle SQL, columns and cycles as {@link OPAQUE}.
 */
function jsonish(value: unknown, ancestors: object[] = []): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (isSqlValue(value) || ancestors.includes(value)) return OPAQUE;
  if (ArrayBuffer.isView(value)) return Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
  const inner = [...ancestors, value];
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonish(toJSON.call(value), inner);
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : jsonish(item, inner)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonish(v, inner);
  return out;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === OPAQUE || b === OPAQUE) return false;
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => equal(item, other[i]));
  }
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  if (ka.length !== Object.keys(rb).length) return false;
  return ka.every((k) => Object.hasOwn(rb, k) && equal((a as Record<string, unknown>)[k], rb[k]));
}
