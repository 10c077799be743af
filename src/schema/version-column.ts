import { Column, getTableColumns, getTableName, is, type Table } from 'drizzle-orm';
import { ConfigurationError } from '../errors.js';
import { cachedForTable } from './table-cache.js';
import type { ColumnKeyOf, VersionKeyOf } from './table-types.js';

/** How a version column moves; see the README's table of builders. */
export type VersionKind = 'integer' | 'timestamp' | 'trigger' | 'conditional';

/** Options of `triggerVersion()` and `conditionalVersion()` (table keys, not SQL names). */
export interface VersionOptions {
  triggerName?: string;
  checkFields?: readonly string[];
  ignoreFields?: readonly string[];
}

/** What a version builder records on its column. */
export interface VersionMarker extends VersionOptions {
  kind: VersionKind;
  /**
   * Where the declaring call was, as `path:line` when asked: recorded only while the codegen
   * loads a schema, and placed only when an error needs it (placing a frame is the costly part).
   */
  site?: () => string | undefined;
}

/** What {@link getVersionColumn} reports about a table's version column. */
export interface VersionColumnInfo<K extends string = string> extends VersionOptions {
  /** The TS property name of the column in the table. */
  key: K;
  column: Column;
  kind: VersionKind;
}

/**
 * Key under which a version builder stores its {@link VersionMarker} on the column config.
 * `Symbol.for` so that two copies of this package in one app agree.
 */
export const VERSION_MARKER: unique symbol = Symbol.for('drizzle-concurrency.version') as never;

type Marked = { config?: Record<PropertyKey, unknown> };

/** Records `marker` on a column builder (or column): builder and column share one config object. */
export function markVersion<B>(builderOrColumn: B, marker: VersionMarker): B {
  const config = (builderOrColumn as Marked).config;
  if (!config) throw new ConfigurationError('a version marker needs a Drizzle column or column builder');
  config[VERSION_MARKER] = Object.freeze({ ...marker });
  return builderOrColumn;
}

function markerOf(column: unknown): VersionMarker | undefined {
  return (column as Marked | undefined)?.config?.[VERSION_MARKER] as VersionMarker | undefined;
}

/**
 * True when `column` was declared with one of the version builders or marked by
 * `applyConcurrencyCheck`.
 * @example
 * isVersionColumn(accounts.version) // true
 * isVersionColumn(accounts.balance) // false
 */
export function isVersionColumn(column: unknown): boolean {
  return is(column, Column) && markerOf(column) !== undefined;
}

/**
 * The version column of a table, or `undefined` when it has none.
 * Throws `ConfigurationError` for two version columns, unknown `checkFields` /
 * `ignoreFields` keys, or both given.
 * @example
 * getVersionColumn(accounts) // { key: 'version', column, kind: 'integer' }
 */
export function getVersionColumn<T extends Table>(table: T): VersionColumnInfo<VersionInfoKey<T>> | undefined {
  const info = cachedForTable(table, 'version', () => computeInfo(table) ?? null);
  return (info ?? undefined) as VersionColumnInfo<VersionInfoKey<T>> | undefined;
}

/** The version key `getVersionColumn` reports: the builder's key, else (`applyConcurrencyCheck`) any column key. */
type VersionInfoKey<T extends Table> = [VersionKeyOf<T>] extends [never] ? ColumnKeyOf<T> : VersionKeyOf<T>;

function computeInfo(table: Table): VersionColumnInfo | undefined {
  const columns = getTableColumns(table) as Record<string, Column>;
  const name = getTableName(table);
  let found: VersionColumnInfo | undefined;
  for (const [key, column] of Object.entries(columns)) {
    const marker = markerOf(column);
    if (!marker) continue;
    if (found) {
      throw new ConfigurationError(`"${name}" has two version columns, "${found.key}" and "${key}": keep one`);
    }
    found = { key, column, ...marker };
  }
  if (!found) return undefined;
  if (found.checkFields && found.ignoreFields) {
    throw new ConfigurationError(
      `"${name}"."${found.key}" gives both checkFields and ignoreFields: give one of them`,
    );
  }
  for (const option of ['checkFields', 'ignoreFields'] as const) {
    for (const field of found[option] ?? []) {
      if (!Object.hasOwn(columns, field)) {
        throw new ConfigurationError(`"${name}".${option} names "${field}", which is not a column key of the table`);
      }
      if (field === found.key) {
        throw new ConfigurationError(`"${name}".${option} names the version column "${field}" itself`);
      }
    }
  }
  return found;
}
