import type { Column, InferSelectModel, SQL, Table } from 'drizzle-orm';
import type { MySqlDatabase, MySqlTable } from 'drizzle-orm/mysql-core';
import type { PgDatabase, PgTable } from 'drizzle-orm/pg-core';
import type { BaseSQLiteDatabase, SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * The type of a version column's value: a plain `number` (any number is assignable to it) that
 * tells the compiler which key of a table is its version. The mark is an optional property
 * that never exists at run time.
 * @example
 * const row = await versionedUpdate(db, accounts, target, { balance: 10 })
 * const next: number = row.version + 1
 */
export type VersionNumber = number & { readonly '~drizzleConcurrencyVersion'?: true };

type ColumnsOf<T extends Table> = T['_']['columns'];
type DataOf<T extends Table, K extends keyof ColumnsOf<T>> = ColumnsOf<T>[K]['_']['data'];

/** Keys of `T`'s version columns declared with this package's builders (at most one). */
export type VersionKeyOf<T extends Table> = {
  [K in keyof ColumnsOf<T>]: DataOf<T, K> extends VersionNumber
    ? '~drizzleConcurrencyVersion' extends keyof DataOf<T, K>
      ? K
      : never
    : never;
}[keyof ColumnsOf<T>] &
  string;

/**
 * Keys of `T`'s primary-key columns declared inline (`.primaryKey()`). A composite key declared
 * with `primaryKey({ columns })` in the extra config is invisible to the compiler: it is
 * checked at run time.
 */
export type PrimaryKeyOf<T extends Table> = {
  [K in keyof ColumnsOf<T>]: ColumnsOf<T>[K]['_']['isPrimaryKey'] extends true ? K : never;
}[keyof ColumnsOf<T>] &
  string;

/** Column keys of `T` (the TS property names). */
export type ColumnKeyOf<T extends Table> = keyof ColumnsOf<T> & string;

/** Keys a write may set: every column but generated ones and the version. */
export type WritableKeyOf<T extends Table> = Exclude<
  { [K in keyof ColumnsOf<T>]: ColumnsOf<T>[K]['_']['generated'] extends undefined ? K : never }[keyof ColumnsOf<T>],
  VersionKeyOf<T>
> &
  string;

type ValueOf<C extends Column> = C['_']['notNull'] extends true ? C['_']['data'] : C['_']['data'] | null;

/** A row of `T` as selected. */
export type RowOf<T extends Table> = InferSelectModel<T>;

/**
 * What identifies the row to write: its primary key and the version it was read at; other
 * fields of the row may ride along, so a selected row will do.
 */
export type TargetOf<T extends Table> = Pick<RowOf<T>, PrimaryKeyOf<T> | VersionKeyOf<T>> & Partial<RowOf<T>>;

/** The primary key of a row of `T`, other fields allowed (what `versionedModify` and `isChanged` read by). */
export type KeyOf<T extends Table> = Pick<RowOf<T>, PrimaryKeyOf<T>> & Partial<RowOf<T>>;

/**
 * New column values of a write: typed like the column, or Drizzle `sql` / a column. Unknown
 * keys, generated columns and the version key are compile errors.
 */
export type ChangesOf<T extends Table> = {
  [K in WritableKeyOf<T>]?: ValueOf<ColumnsOf<T>[K]> | SQL | SQL.Aliased | Column;
};

/**
 * The Drizzle database or transaction types that can write `T`: `PgDatabase` for a `pgTable`
 * (postgres.js, node-postgres, PGlite, their transactions and `withReplicas(...)`),
 * `MySqlDatabase` for a `mysqlTable`, `BaseSQLiteDatabase` for a `sqliteTable`.
 */
export type DatabaseFor<T extends Table> = T extends PgTable
  ? PgDatabase<any, any, any>
  : T extends MySqlTable
    ? MySqlDatabase<any, any, any, any>
    : T extends SQLiteTable
      ? BaseSQLiteDatabase<any, any, any, any>
      : never;
