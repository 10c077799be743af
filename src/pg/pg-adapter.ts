import { getTableName, is, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import { PgDatabase, PgTable, PgTransaction, getTableConfig, type PgQueryResultHKT, type SelectedFields } from 'drizzle-orm/pg-core';
import { PostgresJsSession } from 'drizzle-orm/postgres-js/session';
import { integerBits, setList, valuesRows, type DialectAdapter, type IntegerRange } from '../dialect/dialect-adapter.js';
import { driverField, resultRows } from '../dialect/driver-field.js';
import type { BuiltQuery, PreparedQuery, QueryDatabase, SelectQuery } from '../dialect/query-database.js';

/** A database or transaction the adapter was handed: one `ownsDatabase` accepted, so a PgDatabase. */
function pg(db: QueryDatabase): PgDatabase<PgQueryResultHKT> {
  return db as unknown as PgDatabase<PgQueryResultHKT>;
}

/** What Drizzle's PostgreSQL prepared queries have: `execute(placeholder values)`. */
interface PgPrepared {
  execute(values: Record<string, unknown>): Promise<unknown>;
}

/** A Drizzle PostgreSQL query builder: `prepare(name)`. */
interface PgPreparable {
  prepare(name: string | undefined): PreparedQuery;
}

/** Runs a query `pgAdapter.prepare` prepared. */
function execute(prepared: PreparedQuery, values: Record<string, unknown>): Promise<unknown> {
  return (prepared as PgPrepared).execute(values);
}

/** Row count of a PostgreSQL driver result: postgres.js `count`, node-postgres `rowCount`, PGlite `affectedRows`. */
function pgAffectedRows(result: unknown): number {
  const n = driverField(result, 'count') ?? driverField(result, 'rowCount') ?? driverField(result, 'affectedRows');
  if (typeof n !== 'number') throw new TypeError('the PostgreSQL driver gave no affected-row count');
  return n;
}

/**
 * The name to give Drizzle's `prepare(name)` for a query of `session`. Only postgres.js gets
 * one: there it means "prepare if the client's own `prepare` option allows it", and postgres.js
 * manages those statements per connection. Every other driver gets none: node-postgres (and
 * the drivers built like it) would send a server-side named statement, which a transaction
 * pooler without prepared-statement tracking (PgBouncer ≤ 1.20, or `max_prepared_statements =
 * 0`) routes to another server connection ("prepared statement … does not exist / already
 * exists"), and which node-postgres never deallocates. Unnamed, the built SQL is still cached;
 * the server parses it on each call. PGlite ignores names.
 */
function pgStatementName(session: unknown, name: string): string | undefined {
  return is(session, PostgresJsSession) ? name : undefined;
}

const PG_INTEGERS: Record<string, IntegerRange> = {
  smallint: integerBits(16),
  smallserial: { min: 1, max: integerBits(16).max },
  integer: integerBits(32),
  serial: { min: 1, max: integerBits(32).max },
  bigint: integerBits(64),
  bigserial: { min: 1, max: integerBits(64).max },
};

/**
 * PostgreSQL: `RETURNING`, `IS DISTINCT FROM`, `GREATEST`, `FOR UPDATE`; drivers postgres.js,
 * node-postgres and PGlite.
 */
export const pgAdapter: DialectAdapter = {
  dialect: 'pg',
  supportsReturning: true,
  assignmentsSeeEarlierValues: false,
  affectedRowsMayMissUnchanged: false,
  conflictReadMustLock: false,
  returningSeesJoinedTables: true,
  maxParameters: 65_534,
  locksRows: true,
  commitMayBeLost(db) {
    const session = driverField(db, 'session');
    return !is(db, PgTransaction) && is(session, PostgresJsSession) && driverField(session, 'client', 'options', 'prepare') !== false;
  },
  async transactionToken(tx) {
    const rows = resultRows(await pg(tx).execute(sql`select txid_current()::text as token`));
    return String(rows[0]?.['token']);
  },
  async committed(db, token) {
    const rows = resultRows(await pg(db).execute(sql`select txid_status(${token}::bigint) as status`));
    return rows[0]?.['status'] === 'committed';
  },
  ownsTable: (table: Table) => is(table, PgTable),
  ownsDatabase: (db: unknown): db is QueryDatabase => is(db, PgDatabase),
  isTransaction: (db) => is(db, PgTransaction),
  // serialization_failure, deadlock_detected (SQLSTATE, as every PostgreSQL driver reports it in `code`).
  isTransientError: (error) => {
    const code = driverField(error, 'code');
    return code === '40001' || code === '40P01';
  },
  maxVersion: (column: Column) => PG_INTEGERS[column.getSQLType()]?.max ?? Number.MAX_SAFE_INTEGER,
  integerRange: (column: Column) => (column.dataType === 'number' ? PG_INTEGERS[column.getSQLType()] : undefined),
  tableConfig: (table) => getTableConfig(table as PgTable),
  // `json` has no equality operator: compare as jsonb (by value, not by spelling).
  isDistinct: (column: Column, value: SQL) =>
    column.getSQLType() === 'json'
      ? sql`${column}::jsonb is distinct from ${value}::jsonb`
      : sql`${column} is distinct from ${value}`,
  greatest: (a: SQL, b: SQL) => sql`greatest(${a}, ${b})`,
  affectedRows: pgAffectedRows,
  prepare: (query, name) => (query as BuiltQuery & PgPreparable).prepare(pgStatementName(driverField(query, 'session'), name)),
  runReturning: async (prepared, values) => resultRows(await execute(prepared, values)),
  runCount: async (prepared, values) => pgAffectedRows(await execute(prepared, values)),
  runSelect: async (prepared, values) => resultRows(await execute(prepared, values)),
  executeCount: async (db, query) => pgAffectedRows(await pg(db).execute(query)),
  // A first row of empty scalar reads of the table itself types the VALUES list, so the bound
  // values take its column types (enums, domains, custom types included) without the library
  // spelling a type name; that row is all NULLs and joins to nothing.
  valuesTable(table, alias, columns, rows) {
    const names = columns.map((_, i) => sql.identifier(`c${i}`));
    const typed = columns.map((c) => sql`(select ${c} from ${table} where false)`);
    return {
      source: sql`(values ${valuesRows([typed, ...rows])}) as ${sql.identifier(alias)}(${sql.join(names, sql`, `)})`,
      field: (i) => sql`${sql.identifier(alias)}.${names[i]!}`,
    };
  },
  updateJoined: async (db, table, set, source, where, returning) => {
    const update = pg(db).update(table as PgTable).set(Object.fromEntries(set.map(({ key, value }) => [key, value]))).from(source).where(where);
    const rows: unknown = await (returning ? update.returning(returning as SelectedFields) : update.returning());
    return rows as Record<string, unknown>[];
  },
  updateInOrder: async (db, table, set, where) => pgAffectedRows(await pg(db).execute(sql`update ${table} set ${setList(set)} where ${where}`)),
  deleteJoined: async (db, table, source, on) => pgAffectedRows(await pg(db).delete(table as PgTable).where(sql`exists (select 1 from ${source} where ${on})`)),
  // `of` names the table as the FROM list does, without its schema: an identifier, though Drizzle types it as a table.
  selectForUpdate: (db, table, fields) =>
    pg(db)
      .select(fields as SelectedFields)
      .from(table as PgTable)
      .for('update', { of: sql.identifier(getTableName(table)) as unknown as PgTable })
      .$dynamic() as unknown as SelectQuery,
};
