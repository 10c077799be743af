import { integer } from 'drizzle-orm/sqlite-core';
import type { VersionNumber } from '../schema/table-types.js';
import { versionBuilderSet } from '../schema/version-builders.js';
import { sqliteAdapter } from './sqlite-adapter.js';

const int = (name?: string) => (name === undefined ? integer() : integer(name)).notNull().default(1).$type<VersionNumber>();

const builders = versionBuilderSet(sqliteAdapter, int, int);

/**
 * Integer version column (`integer not null default 1`); a versioned write sets `version + 1`,
 * and so does a plain `db.update()`.
 * @example
 * export const accounts = sqliteTable('accounts', { id: integer().primaryKey(), version: integerVersion() })
 * // update "accounts" set …, "version" = "accounts"."version" + 1 where … and "accounts"."version" = ? returning …
 */
export const integerVersion = builders.integerVersion;

/**
 * Timestamp version (`integer not null default 1`, 64-bit): the new version is
 * `max(version + 1, now in µs)`, unique across re-created rows; inserts take the clock too.
 * @example
 * export const docs = sqliteTable('docs', { id: integer().primaryKey(), version: timestampVersion() })
 * // update "docs" set …, "version" = max("docs"."version" + 1, ?) where …
 */
export const timestampVersion = builders.timestampVersion;

/**
 * Version moved by an `AFTER UPDATE` trigger on every UPDATE from any client (install it with
 * the codegen migration); with `checkFields`, only when those columns change. The library's
 * own writes move it in the statement itself, so `RETURNING` shows the new version.
 * @example
 * export const items = sqliteTable('items', { id: integer().primaryKey(), version: triggerVersion() })
 * // create trigger "concurrency_items_version" after update on "items" for each row
 * //   when new."version" is old."version" begin update "items" set "version" = old."version" + 1 where "id" = new."id"; end
 */
export const triggerVersion = builders.triggerVersion;

/**
 * Version moved only when a checked column's value really changes, decided inside the UPDATE.
 * A plain `db.update()` leaves it alone.
 * @example
 * export const posts = sqliteTable('posts', { id: integer().primaryKey(), title: text(), version: conditionalVersion() })
 * // update "posts" set "title" = ?, "version" = case when ("posts"."title" is not ?) then "posts"."version" + 1
 * //   else "posts"."version" end where …
 */
export const conditionalVersion = builders.conditionalVersion;
