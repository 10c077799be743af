import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import { adapterForTable } from './adapters.js';
import { callSite } from './call-site.js';
import { ConfigurationError } from './errors.js';
import { forgetTableMeta } from './table-meta.js';
import { plainUpdateBump } from './version-builders.js';
import { forgetVersionColumn, getVersionColumn, markVersion, type VersionKind } from './version-column.js';

/**
 * Marks an existing integer column of a table you do not own (a plugin's user table) as its
 * version column. Idempotent: a second call with the same key and kind changes nothing.
 * Integer and timestamp kinds also make plain `db.update()` calls move the version.
 * @example
 * applyConcurrencyCheck(authUsers, 'revision')
 * await versionedUpdate(db, authUsers, user, { email })
 * // update "users" set "email" = $1, "revision" = "users"."revision" + 1 where "users"."id" = $2 and "users"."revision" = $3 returning …
 */
export function applyConcurrencyCheck(table: Table, key: string, kind: VersionKind = 'integer'): void {
  const adapter = adapterForTable(table);
  const name = getTableName(table);
  const columns = getTableColumns(table) as Record<string, Column>;
  const column = Object.hasOwn(columns, key) ? columns[key] : undefined;
  if (!column) throw new ConfigurationError(`"${name}" has no column key "${key}" to mark as its version`);
  if (column.dataType !== 'number') {
    throw new ConfigurationError(`"${name}"."${key}" is a ${column.columnType}, not an integer column: it cannot be a version`);
  }
  const existing = getVersionColumn(table);
  if (existing) {
    if (existing.key === key && existing.kind === kind) return;
    throw new ConfigurationError(
      `"${name}" already has the ${existing.kind} version column "${existing.key}": cannot also mark "${key}" as ${kind}`,
    );
  }
  const site = callSite();
  markVersion(column, site === undefined ? { kind } : { kind, site });
  const bump = plainUpdateBump(kind, adapter, column as unknown as { name: string });
  if (bump && column.onUpdateFn === undefined) {
    (column as { onUpdateFn: unknown }).onUpdateFn = bump;
    (column as unknown as { config: { onUpdateFn: unknown } }).config.onUpdateFn = bump;
  }
  forgetVersionColumn(table);
  forgetTableMeta(table);
}
