import { bigint, int } from 'drizzle-orm/mysql-core';
import type { VersionNumber } from '../schema/table-types.js';
import { versionBuilderSet } from '../schema/version-builders.js';
import { mysqlAdapter } from './mysql-adapter.js';

const builders = versionBuilderSet(
  mysqlAdapter,
  (name) => (name === undefined ? int() : int(name)).notNull().default(1).$type<VersionNumber>(),
  (name) => (name === undefined ? bigint({ mode: 'number' }) : bigint(name, { mode: 'number' })).notNull().default(1).$type<VersionNumber>(),
);

/**
 * Integer version column (`int not null default 1`); a versioned write sets `version + 1`,
 * and so does a plain `db.update()`.
 * @example
 * export const accounts = mysqlTable('accounts', { id: int().autoincrement().primaryKey(), version: integerVersion() })
 * // update `accounts` set …, `version` = `accounts`.`version` + 1 where … and `accounts`.`version` = ?
 */
export const integerVersion = builders.integerVersion;

/**
 * Timestamp version (`bigint not null default 1`, read as a number): the new version is
 * `greatest(version + 1, now in µs)`, unique across re-created rows; inserts take the clock too.
 * @example
 * export const docs = mysqlTable('docs', { id: int().autoincrement().primaryKey(), version: timestampVersion() })
 * // update `docs` set `version` = greatest(`docs`.`version` + 1, ?), … where …
 */
export const timestampVersion = builders.timestampVersion;

/**
 * Version moved by a `BEFORE UPDATE` trigger on every UPDATE from any client (install it with
 * the codegen migration); with `checkFields`, only when those columns change.
 * @example
 * export const items = mysqlTable('items', { id: int().autoincrement().primaryKey(), version: triggerVersion() })
 * // create trigger `concurrency_items_version` before update on `items` for each row
 * //   begin if new.`version` <=> old.`version` then set new.`version` = old.`version` + 1; end if; end
 */
export const triggerVersion = builders.triggerVersion;

/**
 * Version moved only when a checked column's value really changes, decided inside the UPDATE
 * (the version is assigned first, since MySQL evaluates SET left to right).
 * @example
 * export const posts = mysqlTable('posts', { id: int().autoincrement().primaryKey(), title: text(), version: conditionalVersion() })
 * // update `posts` set `posts`.`version` = case when (not (`posts`.`title` <=> ?)) then `posts`.`version` + 1
 * //   else `posts`.`version` end, `posts`.`title` = ? where …
 */
export const conditionalVersion = builders.conditionalVersion;
