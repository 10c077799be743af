import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import { adapterForTable } from '../dialect/adapters.js';
import { callSite } from '../config/call-site.js';
import type { DialectAdapter } from '../dialect/dialect-adapter.js';
import { ConfigurationError } from '../errors.js';
import { plainUpdateBump } from './version-builders.js';
import { isVersion } from './version-number.js';
import { forgetTable } from './table-cache.js';
import { getVersionColumn, markVersion, type VersionKind } from './version-column.js';
import type { ColumnKeyOf } from './table-types.js';

const KINDS: readonly VersionKind[] = ['integer', 'timestamp', 'trigger', 'conditional'];

/** Narrowest integer a version may live in: 32 bits (PostgreSQL `integer`, MySQL `int`). */
const MIN_VERSION_MAX = 2 ** 31 - 1;

/**
 * Refuses a column that cannot hold a version for good: not an integer type (`real`, `double`,
 * `numeric`: `v + 1` stops moving once the value outgrows the mantissa), narrower than 32 bits
 * (`smallint`, `tinyint`, `mediumint`: a few thousand writes to the limit), narrower than a safe
 * integer for timestamp versions (microseconds since the epoch), nullable, or without a positive
 * integer default (rows inserted without a version would be unwritable).
 */
function checkVersionColumn(adapter: DialectAdapter, name: string, key: string, column: Column, kind: VersionKind): void {
  const where = `applyConcurrencyCheck("${name}", "${key}")`;
  const type = column.getSQLType();
  const range = adapter.integerRange(column);
  if (column.dataType !== 'number' || range === undefined) {
    throw new ConfigurationError(`${where}: "${name}"."${key}" is a ${type} column (${column.columnType}), not an integer column: it cannot be a version`);
  }
  const needed = kind === 'timestamp' ? Number.MAX_SAFE_INTEGER : MIN_VERSION_MAX;
  if (range.max < needed) {
    throw new ConfigurationError(
      `${where}: "${name}"."${key}" is a ${type} column, which holds at most ${range.max}: ${kind === 'timestamp' ? 'a timestamp version needs a 64-bit integer (bigint)' : 'a version needs at least a 32-bit integer (integer / int)'}`,
    );
  }
  if (!column.notNull) {
    throw new ConfigurationError(`${where}: "${name}"."${key}" is nullable: a version column must be NOT NULL (.notNull().default(1))`);
  }
  const value = column.default;
  if (!isVersion(value)) {
    throw new ConfigurationError(
      `${where}: "${name}"."${key}" has ${column.hasDefault ? `the default ${typeof value === 'number' ? value : 'of an SQL expression'}` : 'no default'}: a version column needs a positive integer default (.default(1)), or rows inserted without a version could never be written`,
    );
  }
}

/**
 * Marks an existing integer column of a table you do not own (a plugin's user table) as its
 * version column. Idempotent: a second call with the same key and kind changes nothing.
 * The column must be an integer of at least 32 bits (64 for `'timestamp'`), NOT NULL, with a
 * positive integer default; anything else is a `ConfigurationError` naming table, key and type.
 * Integer and timestamp kinds also make plain `db.update()` calls move the version.
 * @example
 * applyConcurrencyCheck(authUsers, 'revision')
 * await versionedUpdate(db, authUsers, user, { email })
 * // update "users" set "email" = $1, "revision" = "users"."revision" + 1 where "users"."id" = $2 and "users"."revision" = $3 returning …
 */
export function applyConcurrencyCheck<T extends Table>(table: T, key: ColumnKeyOf<T>, kind: VersionKind = 'integer'): void {
  const adapter = adapterForTable(table);
  const name = getTableName(table);
  if (!KINDS.includes(kind)) {
    throw new ConfigurationError(`applyConcurrencyCheck("${name}", "${key}"): kind must be one of ${KINDS.join(', ')}, got ${String(kind)}`);
  }
  const columns = getTableColumns(table) as Record<string, Column>;
  const column = Object.hasOwn(columns, key) ? columns[key] : undefined;
  if (!column) throw new ConfigurationError(`"${name}" has no column key "${key}" to mark as its version`);
  const existing = getVersionColumn(table);
  if (existing) {
    if (existing.key === key && existing.kind === kind) return;
    throw new ConfigurationError(
      `"${name}" already has the ${existing.kind} version column "${existing.key}": cannot also mark "${key}" as ${kind}`,
    );
  }
  checkVersionColumn(adapter, name, key, column, kind);
  const site = callSite();
  markVersion(column, site === undefined ? { kind } : { kind, site });
  const bump = plainUpdateBump(kind, adapter, column);
  if (bump && column.onUpdateFn === undefined) {
    (column as { onUpdateFn: unknown }).onUpdateFn = bump;
    (column as unknown as { config: { onUpdateFn: unknown } }).config.onUpdateFn = bump;
  }
  forgetTable(table);
}
