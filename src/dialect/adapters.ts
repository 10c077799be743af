import { getTableName, type Table } from 'drizzle-orm';
import type { DialectAdapter } from './dialect-adapter.js';
import type { QueryDatabase } from './query-database.js';
import { describeValue } from '../describe-value.js';
import { ConfigurationError } from '../errors.js';
import { mysqlAdapter } from '../mysql/mysql-adapter.js';
import { pgAdapter } from '../pg/pg-adapter.js';
import { sqliteAdapter } from '../sqlite/sqlite-adapter.js';

const adapters: readonly DialectAdapter[] = [pgAdapter, mysqlAdapter, sqliteAdapter];

/** The adapter of the dialect `table` was declared with; `ConfigurationError` for a non-table. */
export function adapterForTable(table: Table): DialectAdapter {
  const adapter = adapters.find((a) => a.ownsTable(table));
  if (!adapter) throw new ConfigurationError(`${describeValue(table)} is not a pgTable, mysqlTable or sqliteTable`);
  return adapter;
}

/**
 * Every dialect's adapter, for questions that do not start from a table (error classification).
 * @example
 * allAdapters.some((a) => a.isTransientError(error))
 */
export const allAdapters: readonly DialectAdapter[] = adapters;

/**
 * The database that writes go to: `db.$primary` for a `withReplicas(primary, replicas)` wrapper
 * (writes, and the read that tells a conflict, must never reach a lagging replica), else `db`.
 * @example
 * const db = withReplicas(primary, [replica])
 * primaryDatabase(db) === primary // true
 */
export function primaryDatabase(db: unknown): unknown {
  if (db === null || typeof db !== 'object' || !('$primary' in db) || !('$replicas' in db)) return db;
  const primary = (db as { $primary: unknown }).$primary;
  return adapters.some((a) => a.ownsDatabase(primary)) ? primary : db;
}

/**
 * The database that writes `table` go to (a `withReplicas` wrapper's primary, else `db`), after
 * checking that it is a Drizzle database or transaction of the table's dialect.
 * @example
 * checkDatabase(withReplicas(primary, [replica]), accounts, pgAdapter) === primary // true
 * checkDatabase('db', accounts, pgAdapter) // ConfigurationError: "db" is not a Drizzle database …
 */
export function checkDatabase(db: unknown, table: Table, adapter: DialectAdapter): QueryDatabase {
  db = primaryDatabase(db);
  if (adapter.ownsDatabase(db)) return db;
  const other = adapters.find((a) => a.ownsDatabase(db));
  throw new ConfigurationError(
    other
      ? `"${getTableName(table)}" is a ${adapter.dialect} table but the database object is ${other.dialect}`
      : `${describeValue(db)} is not a Drizzle database or transaction (PostgreSQL, MySQL or SQLite) for "${getTableName(table)}"`,
  );
}
