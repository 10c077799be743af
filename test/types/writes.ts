/**
 * Type tests of the public write API: every `@ts-expect-error` line is a mistake the compiler
 * must catch (an uncaught one fails `tsc`), every other line must compile. Type-checked by
 * `npm run typecheck` and, with imports rewritten to `drizzle-concurrency`, by the ESM and
 * CommonJS consumers of scripts/check-package.sh.
 */
import { sql } from 'drizzle-orm';
import type { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import type { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { integer, jsonb, pgEnum, pgTable, primaryKey, text, uuid, withReplicas } from 'drizzle-orm/pg-core';
import type { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { drizzle as drizzleBetterSqlite } from 'drizzle-orm/better-sqlite3';
import type { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { integer as sqliteInteger, sqliteTable, text as sqliteText } from 'drizzle-orm/sqlite-core';
import {
  applyConcurrencyCheck,
  getVersionColumn,
  identity,
  isChanged,
  parseIdentity,
  tryVersionedUpdate,
  versionedDelete,
  versionedDeleteMany,
  versionedUpdate,
  versionedUpdateMany,
  type VersionNumber,
  type WrittenOf,
} from '../../src/index.js';
import { integerVersion as myVersion } from '../../src/mysql/index.js';
import { conditionalVersion, integerVersion, timestampVersion } from '../../src/pg/index.js';
import { integerVersion as liteVersion } from '../../src/sqlite/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

const mood = pgEnum('mood', ['calm', 'busy']);
const accounts = pgTable('accounts', {
  id: uuid().primaryKey().defaultRandom(),
  owner: text().notNull(),
  balance: integer().notNull(),
  mood: mood('mood').notNull(),
  settings: jsonb().$type<{ theme: 'dark' | 'light' }>(),
  doubled: integer().generatedAlwaysAs(sql`balance * 2`),
  version: integerVersion(),
});
const tags = pgTable('tags', { org: integer().notNull(), slug: text().notNull(), version: timestampVersion() }, (t) => [
  primaryKey({ columns: [t.org, t.slug] }),
]);
const posts = pgTable('posts', { id: integer().primaryKey(), title: text().notNull(), version: conditionalVersion({ checkFields: ['title'] }) });
const users = pgTable('users', { id: integer().primaryKey(), revision: integer().notNull().default(1) });
const items = mysqlTable('items', { id: int().primaryKey(), name: varchar({ length: 40 }).notNull(), version: myVersion() });
const notes = sqliteTable('notes', { id: sqliteInteger().primaryKey(), body: sqliteText().notNull(), version: liteVersion() });

declare const pg: ReturnType<typeof drizzlePostgres>;
declare const nodePg: ReturnType<typeof drizzlePg>;
declare const mysql: ReturnType<typeof drizzleMysql>;
declare const lite: ReturnType<typeof drizzleLibsql>;
declare const betterLite: ReturnType<typeof drizzleBetterSqlite>;
declare const row: typeof accounts.$inferSelect;

export async function writes(): Promise<void> {
  // What must compile.
  const saved = await versionedUpdate(pg, accounts, row, { balance: row.balance - 10, mood: 'busy', settings: { theme: 'dark' } });
  expectType<Equal<typeof saved, typeof accounts.$inferSelect>>(true);
  const next: number = saved.version + 1;
  await versionedUpdate(nodePg, accounts, { id: row.id, version: 3 }, { balance: sql`${accounts.balance} + 1`, owner: accounts.owner });
  await versionedUpdate(pg, accounts, row, {});
  await versionedUpdate(pg, accounts, row, { settings: null }, { check: false, increment: false });
  await versionedUpdate(withReplicas(pg, [pg]), accounts, row, { balance: 1 });
  await pg.transaction(async (tx) => void (await versionedUpdate(tx, accounts, row, { balance: next })));
  await versionedUpdate(mysql, items, { id: 1, version: 1 }, { name: 'x' });
  await mysql.transaction(async (tx) => void (await versionedDelete(tx, items, { id: 1, version: 2 })));
  await versionedUpdate(lite, notes, { id: 1, version: 1 }, { body: 'x' });
  // better-sqlite3: the database and its (synchronous) transaction; the write's promise is awaited outside the callback.
  await versionedUpdate(betterLite, notes, { id: 1, version: 1 }, { body: 'x' });
  let inside: Promise<typeof notes.$inferSelect> | undefined;
  betterLite.transaction((tx) => void (inside = versionedUpdate(tx, notes, { id: 1, version: 1 }, { body: 'y' })));
  await inside;
  await versionedUpdate(pg, tags, { org: 1, slug: 'a', version: 1 }, {});
  await versionedUpdate(pg, posts, { id: 1, version: 1 }, { title: 't' });
  const outcome = await tryVersionedUpdate(pg, accounts, row, { balance: 0 });
  if (outcome.ok) expectType<Equal<typeof outcome.row, typeof accounts.$inferSelect>>(true);
  else expectType<Equal<NonNullable<typeof outcome.error.current>, typeof accounts.$inferSelect>>(true);
  // `returning: false`: the key and the version (undefined where not known without a read).
  const written = await versionedUpdate(pg, accounts, row, { balance: 1 }, { returning: false });
  expectType<Equal<typeof written.id, string>>(true);
  expectType<Equal<typeof written.version, VersionNumber | undefined>>(true);
  const writtenTags = await versionedUpdate(pg, tags, { org: 1, slug: 'a', version: 1 }, {}, { returning: false, check: true });
  expectType<Equal<typeof writtenTags.version, VersionNumber | undefined>>(true);
  const returned = await versionedUpdate(pg, accounts, row, { balance: 1 }, { returning: true });
  expectType<Equal<typeof returned, typeof accounts.$inferSelect>>(true);
  const either = await versionedUpdate(lite, notes, { id: 1, version: 1 }, { body: 'x' }, { returning: Math.random() > 0.5 });
  expectType<Equal<typeof either, typeof notes.$inferSelect | WrittenOf<typeof notes>>>(true);
  if (written.version !== undefined) await versionedUpdate(pg, accounts, { id: written.id, version: written.version }, { balance: 2 });
  const tried = await tryVersionedUpdate(mysql, items, { id: 1, version: 1 }, { name: 'y' }, { returning: false });
  if (tried.ok) expectType<Equal<typeof tried.row, WrittenOf<typeof items>>>(true);
  else expectType<Equal<NonNullable<typeof tried.error.current>, typeof items.$inferSelect>>(true);
  await versionedDelete(pg, accounts, row, { returning: false });
  const many = await versionedUpdateMany(pg, accounts, [{ target: row, changes: { balance: 1 } }], { policy: 'silent' });
  expectType<Equal<(typeof many.updated)[number], typeof accounts.$inferSelect>>(true);
  await versionedDeleteMany(lite, notes, [{ id: 1, version: 1 }]);
  const changed: boolean = await isChanged(pg, accounts, row);
  const target = parseIdentity(accounts, identity(accounts, row));
  expectType<Equal<typeof target.id, string>>(true);
  const key: 'version' | undefined = getVersionColumn(accounts)?.key;
  applyConcurrencyCheck(users, 'revision');
  void [changed, key, many, target, writtenTags, returned, either];

  // Mistakes the compiler must catch.
  // @ts-expect-error a MySQL database for a pg table
  await versionedUpdate(mysql, accounts, row, {});
  // @ts-expect-error a SQLite database for a pg table
  await versionedUpdate(lite, accounts, row, {});
  // @ts-expect-error a better-sqlite3 database for a pg table
  await versionedUpdate(betterLite, accounts, row, {});
  // @ts-expect-error a pg database for a MySQL table
  await versionedUpdate(pg, items, { id: 1, version: 1 }, {});
  // @ts-expect-error a pg database for a SQLite table
  await versionedDelete(pg, notes, { id: 1, version: 1 });
  // @ts-expect-error a string as db
  await versionedUpdate('db', accounts, row, {});
  // @ts-expect-error no db at all
  await versionedUpdate(undefined, accounts, row, {});
  // @ts-expect-error a target without its primary key
  await versionedUpdate(pg, accounts, { version: 3 }, {});
  // @ts-expect-error a target without its version
  await versionedUpdate(pg, accounts, { id: row.id }, {});
  // @ts-expect-error a key of the wrong type
  await versionedUpdate(pg, accounts, { id: 1, version: 3 }, {});
  // @ts-expect-error a version of the wrong type
  await versionedUpdate(pg, accounts, { id: row.id, version: '3' }, {});
  // @ts-expect-error the version inside changes
  await versionedUpdate(pg, accounts, row, { version: 7 });
  // @ts-expect-error an unknown key in changes
  await versionedUpdate(pg, accounts, row, { balanse: 7 });
  // @ts-expect-error a wrong value type in changes
  await versionedUpdate(pg, accounts, row, { balance: '7' });
  // @ts-expect-error null for a NOT NULL column
  await versionedUpdate(pg, accounts, row, { owner: null });
  // @ts-expect-error an enum value that does not exist
  await versionedUpdate(pg, accounts, row, { mood: 'happy' });
  // @ts-expect-error a typed json value of the wrong shape
  await versionedUpdate(pg, accounts, row, { settings: { theme: 'blue' } });
  // @ts-expect-error a generated column in changes
  await versionedUpdate(pg, accounts, row, { doubled: 4 });
  // @ts-expect-error a typo on the result
  void saved.balanse;
  // @ts-expect-error returning: false resolves to the key and version only, not the row
  void written.balance;
  // @ts-expect-error the version of a returning: false write may be unknown: not a target as it is
  await versionedUpdate(pg, accounts, written, {});
  // @ts-expect-error returning takes a boolean
  await versionedUpdate(pg, accounts, row, {}, { returning: 'no' });
  // @ts-expect-error a typo on the conflict's current row
  if (!outcome.ok) void outcome.error.current?.balanse;
  // @ts-expect-error the version inside a batch item's changes
  await versionedUpdateMany(pg, accounts, [{ target: row, changes: { version: 2 } }]);
  // @ts-expect-error a batch item without its target's key
  await versionedUpdateMany(pg, accounts, [{ target: { version: 1 }, changes: {} }]);
  // @ts-expect-error a batch on the wrong dialect's db
  await versionedDeleteMany(mysql, notes, [{ id: 1, version: 1 }]);
  // @ts-expect-error an unknown batch policy
  await versionedUpdateMany(pg, accounts, [], { policy: 'ignore' });
  // @ts-expect-error isChanged without the version
  await isChanged(pg, accounts, { id: row.id });
  // @ts-expect-error applyConcurrencyCheck with a key that is not a column
  applyConcurrencyCheck(users, 'revison');
  // @ts-expect-error identity of a row of another table
  identity(accounts, { id: 1, version: 1 });
  // @ts-expect-error a typo on a parsed identity
  void parseIdentity(accounts, 'x').idd;
  // @ts-expect-error getVersionColumn's key is the table's version key
  const wrongKey: 'revision' | undefined = getVersionColumn(accounts)?.key;
  void wrongKey;
}
