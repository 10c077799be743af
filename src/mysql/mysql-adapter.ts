import { is, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import { MySqlDatabase, MySqlTable, MySqlTransaction, getTableConfig, type MySqlQueryResultHKT, type PreparedQueryHKTBase, type SelectedFields } from 'drizzle-orm/mysql-core';
import { integerBits, setList, type DialectAdapter, type IntegerRange } from '../dialect/dialect-adapter.js';
import { driverField } from '../dialect/driver-field.js';
import type { BuiltQuery, PreparedQuery, QueryDatabase, SelectQuery } from '../dialect/query-database.js';

/** A database or transaction the adapter was handed: one `ownsDatabase` accepted, so a MySqlDatabase. */
function mysql(db: QueryDatabase): MySqlDatabase<MySqlQueryResultHKT, PreparedQueryHKTBase> {
  return db as unknown as MySqlDatabase<MySqlQueryResultHKT, PreparedQueryHKTBase>;
}

/** What Drizzle's MySQL query builders and prepared queries have. */
interface MySqlPreparable {
  prepare(): PreparedQuery;
}
interface MySqlPrepared {
  execute(values: Record<string, unknown>): Promise<unknown>;
}

/** Runs a query `mysqlAdapter.prepare` prepared. */
function execute(prepared: PreparedQuery, values: Record<string, unknown>): Promise<unknown> {
  return (prepared as MySqlPrepared).execute(values);
}

/**
 * Rows an update matched. mysql2 turns the `FOUND_ROWS` client flag on by default, so
 * `affectedRows` counts matched rows; with `flags: ['-FOUND_ROWS']` it counts changed rows
 * and the write path re-reads the row before calling a zero a conflict.
 */
function mysqlAffectedRows(result: unknown): number {
  const header: unknown = Array.isArray(result) ? result[0] : result;
  const n = driverField(header, 'affectedRows');
  if (typeof n !== 'number') throw new TypeError('the MySQL driver gave no affectedRows');
  return n;
}

/** mysql2's `ClientConstants.FOUND_ROWS`: affected rows count matched rows. */
const CLIENT_FOUND_ROWS = 2;

/**
 * The client flags mysql2 connects `db` with (its pool's, or its connection's for a
 * transaction or a single connection); 0 when they cannot be found, so nothing is assumed.
 */
function mysql2ClientFlags(db: unknown): number {
  const client = driverField(db, 'session', 'client');
  const flags =
    driverField(client, 'pool', 'config', 'connectionConfig', 'clientFlags') ??
    driverField(client, 'connection', 'config', 'clientFlags') ??
    driverField(client, 'config', 'clientFlags');
  return typeof flags === 'number' ? flags : 0;
}

/** The mysql2 object that stands for one server: the core pool, else the core connection. */
function mysql2Server(db: unknown): object | undefined {
  const client = driverField(db, 'session', 'client');
  const core = driverField(client, 'pool') ?? driverField(client, 'connection') ?? client;
  const server = driverField(core, '_pool') ?? core;
  return typeof server === 'object' && server !== null ? server : undefined;
}

/** Servers (mysql2 pools or connections) that answered a compound statement with a parse error: MySQL. */
const noCompoundStatements = new WeakSet<object>();

/**
 * Makes `db`'s server count as one without compound statements, as a MySQL server is found to be
 * on its first write: for tests of that path on MariaDB. Not part of the public API.
 * @example
 * markNoCompoundStatements(db) // versionedUpdate(db, …) now sends begin; update; select … for update; commit
 */
export function markNoCompoundStatements(db: unknown): void {
  const server = mysql2Server(db);
  if (server) noCompoundStatements.add(server);
}

/** The column naming `row_count()` in the compound statement's first result set. */
const MATCHED = sql.identifier('~dc_matched');

/** MySQL's parse error at `begin not atomic`: the server has no anonymous compound statements. */
function isNoCompoundError(error: unknown): boolean {
  for (let e = error; e; e = driverField(e, 'cause')) {
    const code = driverField(e, 'code');
    if ((driverField(e, 'errno') === 1064 || code === 'ER_PARSE_ERROR') && /not atomic/i.test(String(driverField(e, 'message')))) return true;
    if (driverField(e, 'cause') === e) break;
  }
  return false;
}

/**
 * MariaDB: `write`, `row_count()` and `read` in one anonymous compound statement (one round trip),
 * in its own transaction unless `db` is one; an error rolls that transaction back and is
 * re-raised unchanged (`resignal`), so no transaction stays open on a pooled connection.
 */
async function writeThenRead(db: QueryDatabase, write: SQL, read: SQL, ownTransaction: boolean) {
  const server = mysql2Server(db);
  if (server && noCompoundStatements.has(server)) return undefined;
  const body = ownTransaction
    ? sql`begin not atomic declare exit handler for sqlexception begin rollback; resignal; end; start transaction; ${write}; select row_count() as ${MATCHED}; ${read}; commit; end`
    : sql`begin not atomic ${write}; select row_count() as ${MATCHED}; ${read}; end`;
  let result: unknown;
  try {
    result = await mysql(db).execute(body);
  } catch (error) {
    if (!isNoCompoundError(error)) throw error;
    if (server) noCompoundStatements.add(server);
    return undefined;
  }
  const [matched, rows] = (result as unknown[])[0] as [Record<string, unknown>[], Record<string, unknown>[]];
  return { count: Number(matched[0]!['~dc_matched']), rows };
}

const MYSQL_INTEGER_BITS: Record<string, number> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, bigint: 64 };

/** Range of `int`, `int unsigned`, `tinyint`, … (`serial` is `bigint unsigned`); `undefined` for other types. */
function mysqlIntegerRange(column: Column): IntegerRange | undefined {
  if (column.dataType !== 'number') return undefined;
  const type = column.getSQLType();
  if (type === 'serial') return { min: 1, max: Number.MAX_SAFE_INTEGER };
  const [base = '', unsigned] = type.split(' ');
  const bits = MYSQL_INTEGER_BITS[base];
  return bits === undefined ? undefined : integerBits(bits, unsigned === 'unsigned');
}

/**
 * MySQL / MariaDB: no `RETURNING` (the row is read back in the write's transaction), `<=>` for NULL-safe equality,
 * assignments evaluated left to right; driver mysql2.
 */
export const mysqlAdapter: DialectAdapter = {
  dialect: 'mysql',
  supportsReturning: false,
  assignmentsSeeEarlierValues: true,
  affectedRowsMayMissUnchanged: true,
  conflictReadMustLock: true,
  countsChangedRows: (db) => (mysql2ClientFlags(db) & CLIENT_FOUND_ROWS) === 0,
  returningSeesJoinedTables: false,
  maxParameters: 65_535,
  locksRows: true,
  ownsTable: (table: Table) => is(table, MySqlTable),
  ownsDatabase: (db: unknown): db is QueryDatabase => is(db, MySqlDatabase),
  isTransaction: (db) => is(db, MySqlTransaction),
  // ER_LOCK_DEADLOCK (also Galera's certification failures and brute-force aborts), ER_LOCK_WAIT_TIMEOUT.
  isTransientError: (error) => {
    const errno = driverField(error, 'errno');
    const code = driverField(error, 'code');
    return errno === 1213 || errno === 1205 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
  },
  // Comparing with a value the column cannot hold simply matches nothing here.
  maxVersion: (column: Column) => mysqlIntegerRange(column)?.max ?? Number.MAX_SAFE_INTEGER,
  integerRange: mysqlIntegerRange,
  tableConfig: (table) => getTableConfig(table as MySqlTable),
  // Strings compare as bytes: the default collations are case-insensitive ('a' <=> 'A').
  isDistinct: (column: Column, value: SQL) =>
    column.dataType === 'string' ? sql`not (binary ${column} <=> binary ${value})` : sql`not (${column} <=> ${value})`,
  greatest: (a: SQL, b: SQL) => sql`greatest(${a}, ${b})`,
  affectedRows: mysqlAffectedRows,
  prepare: (query) => (query as BuiltQuery & MySqlPreparable).prepare(),
  writeThenRead,
  // Known after the first compound statement the server refused (MySQL).
  writeTakesTransaction: (db) => {
    const server = mysql2Server(db);
    return server !== undefined && noCompoundStatements.has(server);
  },
  runReturning: () => Promise.reject(new TypeError('MySQL has no UPDATE … RETURNING')),
  runCount: async (prepared, values) => mysqlAffectedRows(await execute(prepared, values)),
  runSelect: async (prepared, values) => (await execute(prepared, values)) as Record<string, unknown>[],
  executeCount: (db, query) => executeAndCount(db, query),
  // `select … union all select …` rather than VALUES: MySQL spells row constructors `values row(…)`, MariaDB `values (…)`.
  valuesTable(_table, alias, _columns, rows) {
    const names = rows[0]!.map((_, i) => sql.identifier(`c${i}`));
    const selects = rows.map((row, r) =>
      r === 0
        ? sql`select ${sql.join(row.map((value, i) => sql`${value} as ${names[i]!}`), sql`, `)}`
        : sql`select ${sql.join(row as SQL[], sql`, `)}`,
    );
    return {
      source: sql`(${sql.join(selects, sql` union all `)}) as ${sql.identifier(alias)}`,
      field: (i) => sql`${sql.identifier(alias)}.${names[i]!}`,
    };
  },
  // Multi-table UPDATE: MySQL does not promise the order of its assignments, so callers keep
  // comparisons of old and new values (conditional bumps) out of it. Driven from the derived
  // rows (`straight_join`) into the primary key (`force index`: on a small table a scan looks
  // cheaper, and would lock rows outside the batch), it reads and locks the joined rows only.
  updateJoined: (db, table, set, source, where) =>
    executeAndCount(db, sql`update ${source} straight_join ${table} ${BY_KEY} on ${where} set ${setList(set)}`),
  updateInOrder: (db, table, set, where) => executeAndCount(db, sql`update ${table} ${BY_KEY} set ${setList(set)} where ${where}`),
  deleteJoined: (db, table, source, on) => executeAndCount(db, sql`delete ${table} from ${source} straight_join ${table} ${BY_KEY} on ${on}`),
  // By primary key even on a small table, where a scan would lock rows outside the batch;
  // derived tables joined to it are never locked.
  selectForUpdate: (db, table, fields) =>
    mysql(db)
      .select(fields as SelectedFields)
      .from(table as MySqlTable, { forceIndex: 'PRIMARY' })
      .for('update')
      .$dynamic() as unknown as SelectQuery,
};

/** The index hint that makes a statement read the table by primary key. */
const BY_KEY = sql.raw('force index (primary)');

async function executeAndCount(db: QueryDatabase, query: SQL): Promise<number> {
  return mysqlAffectedRows(await mysql(db).execute(query));
}
