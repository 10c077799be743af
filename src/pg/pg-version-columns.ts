import { bigint, integer } from 'drizzle-orm/pg-core';
import type { VersionNumber } from '../schema/table-types.js';
import { versionBuilderSet } from '../schema/version-builders.js';
import { pgAdapter } from './pg-adapter.js';

const builders = versionBuilderSet(
  pgAdapter,
  (name) => (name === undefined ? integer() : integer(name)).notNull().default(1).$type<VersionNumber>(),
  (name) => (name === undefined ? bigint({ mode: 'number' }) : bigint(name, { mode: 'number' })).notNull().default(1).$type<VersionNumber>(),
);

/**
 * Integer version column (`integer not null default 1`); a versioned write sets `version + 1`,
 * and so does a plain `db.update()`.
 * @example
 * export const accounts = pgTable('accounts', { id: serial().primaryKey(), version: integerVersion() })
 * // update "accounts" set …, "version" = "accounts"."version" + 1 where … and "accounts"."version" = $3
 */
export const integerVersion = builders.integerVersion;

/**
 * Timestamp version (`bigint not null default 1`, read as a number): the new version is
 * `greatest(version + 1, now in µs)`, unique across re-created rows; inserts take the clock too.
 * @example
 * export const docs = pgTable('docs', { id: serial().primaryKey(), version: timestampVersion() })
 * // update "docs" set …, "version" = greatest("docs"."version" + 1, $2) where …
 */
export const timestampVersion = builders.timestampVersion;

/**
 * Version moved by a database trigger on every UPDATE from any client (install it with the
 * codegen migration); with `checkFields`, only when those columns change.
 * @example
 * export const items = pgTable('items', { id: serial().primaryKey(), price: integer(), version: triggerVersion({ checkFields: ['price'] }) })
 * // create trigger "concurrency_items_version" before update on "items" for each row
 * //   when (new."version" is not distinct from old."version" and (new."price" is distinct from old."price"))
 * //   execute function "concurrency_items_version"()
 */
export const triggerVersion = builders.triggerVersion;

/**
 * Version moved only when a checked column's value really changes, decided inside the UPDATE.
 * A plain `db.update()` leaves it alone.
 * @example
 * export const posts = pgTable('posts', { id: serial().primaryKey(), title: text(), version: conditionalVersion({ checkFields: ['title'] }) })
 * // update "posts" set "title" = $1, "version" = case when ("posts"."title" is distinct from $1)
 * //   then "posts"."version" + 1 else "posts"."version" end where …
 */
export const conditionalVersion = builders.conditionalVersion;
