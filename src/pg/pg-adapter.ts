import { getTableName, is, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import { PgDatabase, PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { setList, valuesRows, type DialectAdapter } from '../dialect-adapter.js';

/** Row count of a PostgreSQL driver result: postgres.js `count`, node-postgres `rowCount`, PGlite `affectedRows`. */
function pgAffectedRows(result: any): number {
  const n = result?.count ?? result?.rowCount ?? result?.affectedRows;
  if (typeof n !== 'number') throw new TypeError('the PostgreSQL driver gave no affected-row count');
  return n;
}

const PG_INTEGER_MAX: Record<string, number> = { integer: 2_147_483_647, smallint: 32_767 };

/**
 * PostgreSQL: `RETURNING`, `IS DISTINCT FROM`, `GREATEST`, `FOR UPDATE`; drivers postgres.js,
 * node-postgres and PGlite.
 */
export const pgAdapter: DialectAdapter = {
  dialect: 'pg',
  supportsReturning: true,
  assignmentsSeeEarlierValues: false,
  affectedRowsMayMissUnchanged: false,
  supportsSelectForUpdate: true,
  returningSeesJoinedTables: true,
  maxParameters: 65_534,
  ownsTable: (table: Table) => is(table, PgTable),
  ownsDatabase: (db: unknown) => is(db, PgDatabase),
  maxVersion: (column: Column) => PG_INTEGER_MAX[column.getSQLType()] ?? Number.MAX_SAFE_INTEGER,
  primaryKeyColumns(table) {
    const config = getTableConfig(table as PgTable);
    const composite = config.primaryKeys[0];
    return composite ? composite.columns : config.columns.filter((c) => c.primary);
  },
  // `json` has no equality operator: compare as jsonb (by value, not by spelling).
  isDistinct: (column: Column, value: SQL) =>
    column.getSQLType() === 'json'
      ? sql`${column}::jsonb is distinct from ${value}::jsonb`
      : sql`${column} is distinct from ${value}`,
  greatest: (a: SQL, b: SQL) => sql`greatest(${a}, ${b})`,
  affectedRows: pgAffectedRows,
  prepare: (query, name) => query.prepare(name),
  runReturning: (prepared, values) => prepared.execute(values),
  runCount: async (prepared, values) => pgAffectedRows(await prepared.execute(values)),
  runSelect: (prepared, values) => prepared.execute(values),
  executeCount: async (db, query) => pgAffectedRows(await db.execute(query)),
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
  updateJoined: (db, table, set, source, where, returning) =>
    db.update(table).set(Object.fromEntries(set.map(({ key, value }) => [key, value]))).from(source).where(where).returning(returning),
  updateInOrder: async (db, table, set, where) => pgAffectedRows(await db.execute(sql`update ${table} set ${setList(set)} where ${where}`)),
  deleteJoined: async (db, table, source, on) => pgAffectedRows(await db.delete(table).where(sql`exists (select 1 from ${source} where ${on})`)),
  // `of` names the table as the FROM list does, without its schema.
  selectForUpdate: (db, table, fields) => db.select(fields).from(table).for('update', { of: sql.identifier(getTableName(table)) }),
};
