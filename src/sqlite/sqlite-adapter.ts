import { is, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import { BaseSQLiteDatabase, SQLiteTable, SQLiteTransaction, getTableConfig, type SelectedFields } from 'drizzle-orm/sqlite-core';
import { integerBits, setList, valuesRows, type DialectAdapter } from '../dialect/dialect-adapter.js';
import { driverField } from '../dialect/driver-field.js';
import type { BuiltQuery, PreparedQuery, QueryDatabase, SelectQuery } from '../dialect/query-database.js';

/** A database or transaction the adapter was handed: one `ownsDatabase` accepted, so a BaseSQLiteDatabase. */
function sqlite(db: QueryDatabase): BaseSQLiteDatabase<'sync' | 'async', unknown> {
  return db as unknown as BaseSQLiteDatabase<'sync' | 'async', unknown>;
}

/** What Drizzle's SQLite query builders and prepared queries have (sync or async by driver). */
interface SQLitePreparable {
  prepare(): PreparedQuery;
}
interface SQLitePrepared {
  all(values: Record<string, unknown>): unknown;
  run(values: Record<string, unknown>): unknown;
}

/** Row count of a SQLite driver result: libSQL `rowsAffected`, better-sqlite3 `changes`. */
function sqliteAffectedRows(result: unknown): number {
  const n = driverField(result, 'rowsAffected') ?? driverField(result, 'changes');
  if (typeof n !== 'number') throw new TypeError('the SQLite driver gave no affected-row count');
  return n;
}

/**
 * SQLite (libSQL, better-sqlite3): `RETURNING` (values from before AFTER triggers), `IS NOT` for
 * NULL-safe inequality, scalar `max()`; no `FOR UPDATE` (a write transaction locks the database);
 * better-sqlite3's transactions are synchronous (see `synchronousTransactions`).
 */
export const sqliteAdapter: DialectAdapter = {
  dialect: 'sqlite',
  supportsReturning: true,
  assignmentsSeeEarlierValues: false,
  affectedRowsMayMissUnchanged: false,
  conflictReadMustLock: false,
  returningSeesJoinedTables: false,
  maxParameters: 32_766,
  locksRows: false,
  ownsTable: (table: Table) => is(table, SQLiteTable),
  ownsDatabase: (db: unknown): db is QueryDatabase => is(db, BaseSQLiteDatabase),
  isTransaction: (db) => is(db, SQLiteTransaction),
  // Drizzle builds a BaseSQLiteDatabase with resultKind 'sync' over better-sqlite3 (and bun:sqlite, …).
  synchronousTransactions: (db) => driverField(db, 'resultKind') === 'sync',
  // SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, …): libSQL and better-sqlite3 name them in `code`.
  isTransientError: (error) => {
    const code = driverField(error, 'code');
    return typeof code === 'string' && /^SQLITE_BUSY(_|$)/.test(code);
  },
  // Comparing with a value the column cannot hold simply matches nothing here.
  maxVersion: () => Number.MAX_SAFE_INTEGER,
  // `integer` is 64-bit; an `integer({ mode: 'timestamp' | 'boolean' })` reads as a date or boolean.
  integerRange: (column: Column) =>
    column.dataType === 'number' && column.getSQLType() === 'integer' ? integerBits(64) : undefined,
  tableConfig: (table) => getTableConfig(table as SQLiteTable),
  // A column declared `collate nocase` would otherwise call a case-only change no change.
  isDistinct: (column: Column, value: SQL) => sql`${column} is not ${value} collate binary`,
  greatest: (a: SQL, b: SQL) => sql`max(${a}, ${b})`,
  affectedRows: sqliteAffectedRows,
  prepare: (query) => (query as BuiltQuery & SQLitePreparable).prepare(),
  runReturning: async (prepared, values) => (await (prepared as SQLitePrepared).all(values)) as Record<string, unknown>[],
  runCount: async (prepared, values) => sqliteAffectedRows(await (prepared as SQLitePrepared).run(values)),
  runSelect: async (prepared, values) => (await (prepared as SQLitePrepared).all(values)) as Record<string, unknown>[],
  executeCount: async (db, query) => sqliteAffectedRows(await sqlite(db).run(query)),
  // Values need no types here; the fields of a VALUES list are named column1, column2, ….
  valuesTable: (_table, alias, _columns, rows) => ({
    source: sql`(values ${valuesRows(rows)}) as ${sql.identifier(alias)}`,
    field: (i) => sql`${sql.identifier(alias)}.${sql.identifier(`column${i + 1}`)}`,
  }),
  updateJoined: async (db, table, set, source, where) => {
    const rows: unknown = await sqlite(db)
      .update(table as SQLiteTable)
      .set(Object.fromEntries(set.map(({ key, value }) => [key, value])))
      .from(source)
      .where(where)
      .returning();
    return rows as Record<string, unknown>[];
  },
  updateInOrder: async (db, table, set, where) => sqliteAffectedRows(await sqlite(db).run(sql`update ${table} set ${setList(set)} where ${where}`)),
  deleteJoined: async (db, table, source, on) =>
    sqliteAffectedRows(await sqlite(db).delete(table as SQLiteTable).where(sql`exists (select 1 from ${source} where ${on})`)),
  selectForUpdate: (db, table, fields) =>
    sqlite(db)
      .select(fields as SelectedFields)
      .from(table as SQLiteTable)
      .$dynamic() as unknown as SelectQuery,
};
