import { is, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import { BaseSQLiteDatabase, SQLiteTable, SQLiteTransaction, getTableConfig } from 'drizzle-orm/sqlite-core';
import { integerBits, setList, valuesRows, type DialectAdapter } from '../dialect/dialect-adapter.js';

/** Row count of a SQLite driver result: libSQL `rowsAffected`, better-sqlite3 `changes`. */
function sqliteAffectedRows(result: any): number {
  const n = result?.rowsAffected ?? result?.changes;
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
  ownsDatabase: (db: unknown) => is(db, BaseSQLiteDatabase),
  isTransaction: (db: unknown) => is(db, SQLiteTransaction),
  // Drizzle builds a BaseSQLiteDatabase with resultKind 'sync' over better-sqlite3 (and bun:sqlite, …).
  synchronousTransactions: (db: unknown) => (db as { resultKind?: unknown } | null)?.resultKind === 'sync',
  // SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, …): libSQL and better-sqlite3 name them in `code`.
  isTransientError: (error: any) => typeof error.code === 'string' && /^SQLITE_BUSY(_|$)/.test(error.code),
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
  prepare: (query) => query.prepare(),
  runReturning: (prepared, values) => prepared.all(values),
  runCount: async (prepared, values) => sqliteAffectedRows(await prepared.run(values)),
  runSelect: (prepared, values) => prepared.all(values),
  executeCount: async (db, query) => sqliteAffectedRows(await db.run(query)),
  // Values need no types here; the fields of a VALUES list are named column1, column2, ….
  valuesTable: (_table, alias, _columns, rows) => ({
    source: sql`(values ${valuesRows(rows)}) as ${sql.identifier(alias)}`,
    field: (i) => sql`${sql.identifier(alias)}.${sql.identifier(`column${i + 1}`)}`,
  }),
  updateJoined: (db, table, set, source, where) =>
    db.update(table).set(Object.fromEntries(set.map(({ key, value }) => [key, value]))).from(source).where(where).returning(),
  updateInOrder: async (db, table, set, where) => sqliteAffectedRows(await db.run(sql`update ${table} set ${setList(set)} where ${where}`)),
  deleteJoined: async (db, table, source, on) => sqliteAffectedRows(await db.delete(table).where(sql`exists (select 1 from ${source} where ${on})`)),
  selectForUpdate: (db, table, fields) => db.select(fields).from(table),
};
