import type { Column, SQL, Table } from 'drizzle-orm';

/**
 * The part of a Drizzle database or transaction object (PgDatabase, MySqlDatabase,
 * BaseSQLiteDatabase and their transactions) that the dialect-neutral write path uses: the
 * select, update and delete builders and `transaction`. Each dialect's builders have more;
 * what differs between dialects (RETURNING, `for update`, running a raw statement) goes through
 * the {@link DialectAdapter}, which narrows this to its dialect's own Drizzle types.
 * A value gets this type only from a check that it is a Drizzle database (`ownsDatabase`).
 * @example
 * if (adapter.ownsDatabase(db)) {
 *   const rows = await db.select().from(accounts).where(eq(accounts.id, 1))
 *   // PostgreSQL: select "id", … from "accounts" where "accounts"."id" = $1
 *   // MySQL:      select `id`, … from `accounts` where `accounts`.`id` = ?
 *   // SQLite:     select "id", … from "accounts" where "accounts"."id" = ?
 * }
 */
export interface QueryDatabase {
  select(fields?: Record<string, unknown>): { from(table: Table): SelectQuery };
  update(table: Table): { set(values: Record<string, unknown>): { where(where: SQL | undefined): UpdateQuery } };
  delete(table: Table): { where(where: SQL | undefined): BuiltQuery };
  transaction<R>(fn: (tx: QueryDatabase) => Promise<R>): Promise<R>;
}

/**
 * A Drizzle query builder that is ready to run: awaited it runs, `adapter.prepare` turns it into
 * a {@link PreparedQuery}. Shared code never looks inside.
 */
export interface BuiltQuery {
  getSQL(): SQL;
}

/** An update builder after `where`: `returning()` where the dialect has RETURNING (see `supportsReturning`). */
export interface UpdateQuery extends BuiltQuery {
  returning(fields?: Record<string, unknown>): BuiltQuery;
}

/** A select builder after `from`, as the shared code goes on with it. */
export interface SelectQuery extends PromiseLike<Record<string, unknown>[]>, BuiltQuery {
  where(where: SQL | undefined): SelectQuery;
  leftJoin(source: SQL, on: SQL): SelectQuery;
  innerJoin(source: SQL, on: SQL): SelectQuery;
  orderBy(...columns: (Column | SQL)[]): SelectQuery;
  for(strength: 'update'): SelectQuery;
}

declare const prepared: unique symbol;

/**
 * A query prepared by `adapter.prepare`, run only by the same adapter's `runSelect`,
 * `runReturning` or `runCount` (PostgreSQL and MySQL call `execute(values)`, SQLite `all` / `run`).
 */
export interface PreparedQuery {
  readonly [prepared]?: true;
}
