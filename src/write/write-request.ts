import type { Column, SQLWrapper, Table } from 'drizzle-orm';
import { adapterForTable, checkDatabase } from '../dialect/adapters.js';
import type { QueryDatabase } from '../dialect/query-database.js';
import { concurrencyConfig } from '../config/config.js';
import { ConfigurationError, VersionError, formatKey, type RowKey } from '../errors.js';
import { describeValue } from '../describe-value.js';
import { checksDisabledFor, incrementsDisabledFor } from '../config/scope.js';
import { tableMeta, type TableMeta } from '../schema/table-meta.js';
import { readKey, readVersion, requireVersion } from './target.js';
import { isSqlValue } from './update-statement.js';

/** Per-call options of the versioned writes. */
export interface WriteOptions {
  /** `false` skips the version check for this call (the version still moves). */
  check?: boolean;
  /** `false` keeps the version as it is for this call (a shadow write; the check still applies). */
  increment?: boolean;
  /**
   * `false`: send the one UPDATE and read nothing back (no `RETURNING`, on MySQL no read-back
   * transaction); the update resolves to the row's primary key and its new version where that
   * is known without a read ({@link WrittenOf}). A conflict still reads the current row for
   * its error. Deletes never read a row back: there it changes nothing.
   */
  returning?: boolean;
}

/** One row's write, decided before any SQL is sent. */
export interface WriteRequest {
  key: RowKey;
  expected: number | undefined;
  check: boolean;
  increment: boolean;
  /** The expected version is beyond what the column holds: the checked write cannot match. */
  unmatchable: boolean;
}

/**
 * The database writes of `table` go to (`withReplicas`: the primary) and the table's metadata,
 * after checking that `db` is a Drizzle database or transaction of the table's dialect.
 * @example
 * const { db: primary, meta } = writeTarget(db, accounts) // no SQL
 */
export function writeTarget(db: unknown, table: Table): { db: QueryDatabase; meta: TableMeta } {
  return { db: checkDatabase(db, table, adapterForTable(table)), meta: tableMeta(table) };
}

/**
 * Reads key and version from `target` and decides whether to check and to increment, from
 * the call's options, the scopes around it and the process configuration.
 * For an update (`write`, default `'update'`) that would move a version already at the largest
 * value its column holds (`2147483647` for `integer` / `int`, `2^53 - 1` for bigint and SQLite,
 * where a JS number stops being exact), a `VersionError` before any SQL: the database would
 * refuse the bump (`integer out of range`) or store a version no later write could send.
 */
export function writeRequest(
  meta: TableMeta,
  target: unknown,
  options: WriteOptions = {},
  write: 'update' | 'delete' = 'update',
): WriteRequest {
  const key = readKey(meta, target);
  const expected = readVersion(meta, target as object, key);
  const config = concurrencyConfig();
  let check = config.enabled && options.check !== false && !checksDisabledFor(meta.table);
  if (check && expected === undefined) {
    if (config.versionRequired) requireVersion(meta, key);
    check = false;
  }
  const increment =
    meta.version.kind === 'trigger' || (options.increment !== false && !incrementsDisabledFor(meta.table));
  const max = meta.adapter.maxVersion(meta.version.column);
  const unmatchable = check && expected! > max;
  if (write === 'update' && check && increment && expected === max) {
    throw new VersionError(
      `version of "${meta.name}" (${formatKey(key)}) is ${expected}, the largest its column "${meta.version.key}" (${meta.version.column.getSQLType()}) holds: the version cannot move further, so the row cannot be updated with a version check (widen the column)`,
      expected,
    );
  }
  return { key, expected, check, increment, unmatchable };
}

/** `changes` split into sorted keys, bound values and embedded SQL; every key checked first. */
export interface SplitChanges {
  keys: string[];
  plain: Record<string, unknown>;
  embedded: Record<string, SQLWrapper>;
}

/**
 * Validates `changes` against the table: a plain object (not a `Map`, array or class instance),
 * each key a column, never the version, never a generated column. Keys whose value is
 * `undefined` are left out, as Drizzle's `set()` does.
 */
export function splitChanges(meta: TableMeta, changes: unknown): SplitChanges {
  if (!isPlainObject(changes)) {
    throw new ConfigurationError(`changes for "${meta.name}" must be an object of column values (a plain object, not a Map, array or class instance), got ${describeValue(changes)}`);
  }
  const out: SplitChanges = { keys: [], plain: {}, embedded: {} };
  for (const key of Object.keys(changes).sort()) {
    if (key === meta.version.key) {
      throw new ConfigurationError(
        `changes for "${meta.name}" hold the version column "${key}": the library moves it; pass the version in the target`,
      );
    }
    if (!Object.hasOwn(meta.columns, key)) {
      throw new ConfigurationError(`changes for "${meta.name}" name "${key}", which is not a column key of the table`);
    }
    const value = changes[key];
    if (value === undefined) continue;
    const column = meta.columns[key] as Column & { generatedIdentity?: { type?: string } };
    if (column.generated !== undefined || column.generatedIdentity?.type === 'always') {
      throw new ConfigurationError(
        `changes for "${meta.name}" set "${key}", a generated column (${column.generated ? 'generatedAlwaysAs' : 'generatedAlwaysAsIdentity'}): the database computes it`,
      );
    }
    out.keys.push(key);
    if (isSqlValue(value)) out.embedded[key] = value;
    else out.plain[key] = value;
  }
  return out;
}

/** An object literal (or `Object.create(null)`): what Drizzle's `set()` reads keys from. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Values of the other columns' Drizzle `$onUpdate` functions, for the columns `changes` leaves out. */
export function autoValues(meta: TableMeta, changeKeys: readonly string[]): SplitChanges {
  const out: SplitChanges = { keys: [], plain: {}, embedded: {} };
  for (const key of meta.onUpdateKeys) {
    if (changeKeys.includes(key)) continue;
    const onUpdate = meta.columns[key]?.onUpdateFn;
    if (!onUpdate) continue;
    const value: unknown = onUpdate();
    out.keys.push(key);
    if (isSqlValue(value)) out.embedded[key] = value;
    else out.plain[key] = value;
  }
  return out;
}
