import { sql, type Column, type SQL, type Table } from 'drizzle-orm';
import type { BuiltQuery, PreparedQuery, QueryDatabase, SelectQuery } from './query-database.js';

/** The three SQL dialects the library speaks. */
export type DialectName = 'pg' | 'mysql' | 'sqlite';

/**
 * Every difference between dialects that the dialect-neutral write path needs to know.
 * Shared code asks these flags and methods, never the dialect name.
 */
export interface DialectAdapter {
  readonly dialect: DialectName;
  /** `UPDATE … RETURNING` exists: the stored row comes back from the write itself. */
  readonly supportsReturning: boolean;
  /**
   * Assignments of one `UPDATE … SET` see the values assigned before them (MySQL), so an
   * expression comparing old and new values must be assigned first.
   */
  readonly assignmentsSeeEarlierValues: boolean;
  /**
   * The driver may count changed rather than matched rows (mysql2 with `-FOUND_ROWS`): an update
   * that matched but changed nothing can report 0.
   */
  readonly affectedRowsMayMissUnchanged: boolean;
  /**
   * Where {@link affectedRowsMayMissUnchanged} holds: true when `db`'s driver does count changed
   * rows (mysql2 connected with `flags: ['-FOUND_ROWS']`), or cannot tell. Write paths that send
   * one statement and read nothing back must then keep the conflict read in the write's
   * transaction when the write may leave the row unchanged.
   */
  countsChangedRows?(db: QueryDatabase): boolean;
  /**
   * Inside a transaction a write matches the latest committed row while a plain SELECT reads the
   * transaction's snapshot (InnoDB REPEATABLE READ), so the read that tells a conflict, and
   * `isChanged`, must be a locking read (`select … for update`) to see what the write saw.
   * (PostgreSQL fails such a write with a serialization error instead; SQLite has one writer.)
   */
  readonly conflictReadMustLock: boolean;
  /**
   * `UPDATE … FROM … RETURNING` may return fields of the joined table (PostgreSQL); SQLite's
   * RETURNING sees only the updated table, MySQL has none.
   */
  readonly returningSeesJoinedTables: boolean;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParameters: number;
  /**
   * One row can be locked for the length of a transaction (`SELECT … FOR UPDATE`) while other
   * connections go on. SQLite locks the whole database instead, and its embedded drivers wait
   * for that lock synchronously, blocking the process's other connections.
   */
  readonly locksRows: boolean;

  /**
   * The driver may report a COMMIT done that the server turned into a ROLLBACK (postgres.js with
   * `prepare: true` behind a transaction pooler without prepared-statement tracking: the named
   * COMMIT fails to bind and is re-sent into the aborted transaction). Only adapters whose
   * drivers can do this define it, with {@link transactionToken} and {@link committed}.
   */
  commitMayBeLost?(db: QueryDatabase): boolean;
  /** A token naming the transaction `tx` runs (PostgreSQL: `txid_current()`). */
  transactionToken?(tx: QueryDatabase): Promise<string>;
  /** True when the transaction named by `token` committed (PostgreSQL: `txid_status`). */
  committed?(db: QueryDatabase, token: string): Promise<boolean>;
  /**
   * `db.transaction(fn)` of this database object runs `fn` synchronously and cannot await it
   * (Drizzle's better-sqlite3 session): the library then opens its transactions with statements of
   * its own through `db.run` (`begin immediate` / savepoints). Only adapters with such drivers define it.
   */
  synchronousTransactions?(db: QueryDatabase): boolean;
  /**
   * Where the dialect has no `RETURNING`: runs `write` and then `read` as ONE statement, in a
   * transaction of its own when `ownTransaction` (else in the caller's), so `read` sees exactly
   * what `write` left, under its row lock. Resolves the rows `write` matched and the driver rows
   * of `read` (keyed by column name), or `undefined` when the server cannot (MariaDB's
   * `begin not atomic … end` is missing on MySQL; remembered per client), and the caller then
   * sends the statements one by one.
   */
  writeThenRead?(db: QueryDatabase, write: SQL, read: SQL, ownTransaction: boolean): Promise<{ count: number; rows: Record<string, unknown>[] } | undefined>;
  /**
   * True when a checked write on `db` without RETURNING takes a transaction of its own of several
   * statements (MySQL, which has no compound statements: `begin; update; select … for update;
   * commit`), so reading the row under a lock in that transaction first costs nothing more than
   * a plain read before it. Only adapters whose dialect can be in that state define it.
   */
  writeTakesTransaction?(db: QueryDatabase): boolean;
  /** True when `table` was declared with this dialect's table builder. */
  ownsTable(table: Table): boolean;
  /** True when `db` is this dialect's Drizzle database or transaction object. */
  ownsDatabase(db: unknown): db is QueryDatabase;
  /** True when `db` is a Drizzle transaction (or savepoint) object: its statements already share one transaction. */
  isTransaction(db: QueryDatabase): boolean;
  /**
   * True for an error object (not its `cause`s) that this dialect's drivers raise for a failure
   * worth retrying as a whole: serialization failure, deadlock, lock wait timeout, busy database.
   */
  isTransientError(error: object): boolean;
  /**
   * The largest version `column` can hold. A larger expected version can never match, and
   * PostgreSQL would reject the comparison itself (`integer out of range`) rather than miss.
   */
  maxVersion(column: Column): number;
  /**
   * The values an integer `column` holds, `undefined` for a column that is not an integer type
   * (`real`, `double`, `numeric`, …). Bounds beyond `Number.MAX_SAFE_INTEGER` are capped there.
   */
  integerRange(column: Column): IntegerRange | undefined;
  /** The dialect's `getTableConfig(table)`: its columns and `primaryKey({ columns })` constraints (see `primaryKeyColumns`). */
  tableConfig(table: Table): TableKeyConfig;
  /**
   * The stored value of `column` differs from `value`, two NULLs being equal, compared byte
   * for byte (a case-only change under a case-insensitive collation is a change).
   */
  isDistinct(column: Column, value: SQL): SQL;
  /** The larger of two integer expressions. */
  greatest(a: SQL, b: SQL): SQL;
  /** Turns a built query into a prepared one; `name` is used only where it is safe behind poolers (postgres.js). */
  prepare(query: BuiltQuery, name: string): PreparedQuery;
  /** Runs a prepared `… RETURNING` query and gives the mapped rows. */
  runReturning(prepared: PreparedQuery, values: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  /** Rows a write matched, from the driver's result of an awaited Drizzle write without RETURNING. */
  affectedRows(result: unknown): number;
  /** Runs a prepared write without RETURNING and gives the number of rows it matched. */
  runCount(prepared: PreparedQuery, values: Record<string, unknown>): Promise<number>;
  /** Runs a prepared `SELECT` and gives the mapped rows. */
  runSelect(prepared: PreparedQuery, values: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  /** Runs a raw write statement (`db.execute` / `db.run`) and gives the number of rows it matched. */
  executeCount(db: QueryDatabase, query: SQL): Promise<number>;
  /**
   * A derived table `alias` of literal rows, its fields typed like `columns` where the dialect
   * needs types for bound values, and the SQL naming its i-th field.
   */
  valuesTable(table: Table, alias: string, columns: readonly Column[], rows: readonly (readonly SQL[])[]): ValuesTable;
  /**
   * Runs one UPDATE of `table` joined to `source` on `where`: the RETURNING rows (`returning`'s
   * fields, all columns by default) where the dialect has RETURNING, else the number of rows
   * matched. `set` is applied in the order given.
   */
  updateJoined(
    db: QueryDatabase,
    table: Table,
    set: readonly Assignment[],
    source: SQL,
    where: SQL,
    returning?: Record<string, unknown>,
  ): Promise<Record<string, unknown>[] | number>;
  /**
   * Runs `update <table> set <set> where <where>` with the assignments in the order given,
   * reading the rows by primary key (MySQL: `force index (primary)`); the number of rows matched.
   */
  updateInOrder(db: QueryDatabase, table: Table, set: readonly Assignment[], where: SQL): Promise<number>;
  /**
   * Runs one DELETE of the rows of `table` that `source` joins on `on`; the number deleted.
   * MySQL drives it from `source` (`straight_join`), so only the joined rows are read and locked.
   */
  deleteJoined(db: QueryDatabase, table: Table, source: SQL, on: SQL): Promise<number>;
  /**
   * A select of `fields` from `table` (the caller adds joins, where, order) that locks the rows
   * of `table` it returns, in the order it returns them, reading them by primary key:
   * PostgreSQL `for update of <table>` (joined derived tables stay unlocked), MySQL
   * `force index (primary) … for update`; SQLite's write transaction already holds the
   * database (a plain select).
   */
  selectForUpdate(db: QueryDatabase, table: Table, fields: Record<string, unknown>): SelectQuery;
}

/** What `getTableConfig` reports that the dialect-neutral code reads: columns and composite primary keys. */
export interface TableKeyConfig {
  readonly columns: readonly Column[];
  readonly primaryKeys: readonly { readonly columns: readonly Column[] }[];
}

/** The smallest and largest value of an integer column, as JS numbers. */
export interface IntegerRange {
  min: number;
  max: number;
}

/**
 * Signed and unsigned range of an integer type of `bits` bits, capped at the safe integers.
 * @example
 * integerBits(16)       // { min: -32768, max: 32767 }
 * integerBits(32, true) // { min: 0, max: 4294967295 }
 */
export function integerBits(bits: number, unsigned = false): IntegerRange {
  const cap = (n: number) => Math.max(Math.min(n, Number.MAX_SAFE_INTEGER), Number.MIN_SAFE_INTEGER);
  return unsigned ? { min: 0, max: cap(2 ** bits - 1) } : { min: cap(-(2 ** (bits - 1))), max: cap(2 ** (bits - 1) - 1) };
}

/** A derived table of literal rows, as {@link DialectAdapter.valuesTable} builds it. */
export interface ValuesTable {
  source: SQL;
  field(index: number): SQL;
}

/** One `column = value` of a SET list. */
export interface Assignment {
  key: string;
  column: Column;
  value: SQL;
}

/** `(…), (…)`: rows of bound values for a VALUES list. */
export function valuesRows(rows: readonly (readonly SQL[])[]): SQL {
  return sql.join(
    rows.map((row) => sql`(${sql.join(row as SQL[], sql`, `)})`),
    sql`, `,
  );
}

/** `a = …, b = …`: a SET list in the order given. */
export function setList(set: readonly Assignment[]): SQL {
  return sql.join(
    set.map(({ column, value }) => sql`${column} = ${value}`),
    sql`, `,
  );
}
