/**
 * Type tests of `versionedModify`: every `@ts-expect-error` line is a mistake the compiler must
 * catch (an uncaught one fails `tsc`), every other line must compile. Type-checked by
 * `npm run typecheck` (tsconfig.json includes test/).
 */
import { sql } from 'drizzle-orm';
import type { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import type { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { integer, pgTable, text, uuid, withReplicas } from 'drizzle-orm/pg-core';
import type { drizzle as drizzleBetterSqlite } from 'drizzle-orm/better-sqlite3';
import type { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { integer as sqliteInteger, sqliteTable, text as sqliteText } from 'drizzle-orm/sqlite-core';
import { versionedModify, type ModifyFn, type ModifyOptions } from '../../src/index.js';
import { integerVersion as myVersion } from '../../src/mysql/index.js';
import { integerVersion } from '../../src/pg/index.js';
import { integerVersion as liteVersion } from '../../src/sqlite/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

const accounts = pgTable('accounts', {
  id: uuid().primaryKey().defaultRandom(),
  owner: text().notNull(),
  balance: integer().notNull(),
  doubled: integer().generatedAlwaysAs(sql`balance * 2`),
  version: integerVersion(),
});
const items = mysqlTable('items', { id: int().primaryKey(), name: varchar({ length: 40 }).notNull(), version: myVersion() });
const notes = sqliteTable('notes', { id: sqliteInteger().primaryKey(), body: sqliteText().notNull(), version: liteVersion() });

declare const pg: ReturnType<typeof drizzlePg>;
declare const mysql: ReturnType<typeof drizzleMysql>;
declare const lite: ReturnType<typeof drizzleLibsql>;
declare const betterLite: ReturnType<typeof drizzleBetterSqlite>;
declare const id: string;

export async function modify(): Promise<void> {
  // What must compile.
  const saved = await versionedModify(pg, accounts, { id }, (row) => ({ balance: row.balance + 1 }));
  expectType<Equal<typeof saved, typeof accounts.$inferSelect>>(true);
  const next: number = saved.version + 1;
  await versionedModify(pg, accounts, saved, async (row, attempt) => ({ owner: `${row.owner} ${attempt}`, balance: next }));
  await versionedModify(pg, accounts, { id }, () => ({ balance: sql`${accounts.balance} + 1` }), { attempts: 3, lock: 'never', check: true });
  await versionedModify(pg, accounts, { id }, () => ({}), { backoffMs: (attempt) => attempt * 2, retryTransient: true, lock: 'always' });
  await versionedModify(withReplicas(pg, [pg]), accounts, { id }, () => ({ owner: 'x' }));
  await pg.transaction(async (tx) => void (await versionedModify(tx, accounts, { id }, () => ({ balance: 0 }))));
  const item = await versionedModify(mysql, items, { id: 1 }, (row) => ({ name: row.name.trim() }));
  expectType<Equal<typeof item, typeof items.$inferSelect>>(true);
  await mysql.transaction(async (tx) => void (await versionedModify(tx, items, { id: 1 }, () => ({ name: 'y' }))));
  const note = await versionedModify(lite, notes, { id: 1 }, (row) => ({ body: row.body.toUpperCase() }));
  expectType<Equal<typeof note, typeof notes.$inferSelect>>(true);
  await versionedModify(betterLite, notes, { id: 1 }, () => ({ body: 'x' }));
  const fn: ModifyFn<typeof notes> = (row) => ({ body: `${row.body}!` });
  const options: ModifyOptions = { attempts: 2 };
  await versionedModify(lite, notes, { id: 1 }, fn, options);
  void [item, note];

  // Mistakes the compiler must catch.
  // @ts-expect-error a key without its primary-key field
  await versionedModify(pg, accounts, {}, () => ({ balance: 1 }));
  // @ts-expect-error a key whose primary-key field has the wrong type
  await versionedModify(pg, accounts, { id: 1 }, () => ({ balance: 1 }));
  // @ts-expect-error fn returning the version key
  await versionedModify(pg, accounts, { id }, (row) => ({ version: row.version + 1 }));
  // @ts-expect-error fn returning an unknown key
  await versionedModify(pg, accounts, { id }, () => ({ balanse: 1 }));
  // @ts-expect-error fn returning a value of the wrong type
  await versionedModify(pg, accounts, { id }, () => ({ balance: '1' }));
  // @ts-expect-error an async fn returning a value of the wrong type
  await versionedModify(pg, accounts, { id }, async () => ({ owner: 7 }));
  // @ts-expect-error fn returning a generated column
  await versionedModify(pg, accounts, { id }, () => ({ doubled: 4 }));
  // @ts-expect-error fn returning null for a NOT NULL column
  await versionedModify(pg, accounts, { id }, () => ({ owner: null }));
  // @ts-expect-error a MySQL database for a pg table
  await versionedModify(mysql, accounts, { id }, () => ({}));
  // @ts-expect-error a SQLite database for a pg table
  await versionedModify(lite, accounts, { id }, () => ({}));
  // @ts-expect-error a pg database for a MySQL table
  await versionedModify(pg, items, { id: 1 }, () => ({}));
  // @ts-expect-error a better-sqlite3 database for a MySQL table
  await versionedModify(betterLite, items, { id: 1 }, () => ({}));
  // @ts-expect-error a pg database for a SQLite table
  await versionedModify(pg, notes, { id: 1 }, () => ({}));
  // @ts-expect-error a typo on the row fn gets
  await versionedModify(pg, accounts, { id }, (row) => ({ balance: row.balanse }));
  // @ts-expect-error a typo on the resolved row
  void saved.balanse;
  // @ts-expect-error an unknown lock mode
  await versionedModify(pg, accounts, { id }, () => ({}), { lock: 'sometimes' });
  // @ts-expect-error retryTransient takes a boolean
  await versionedModify(pg, accounts, { id }, () => ({}), { retryTransient: 'yes' });
  // @ts-expect-error a fn of another table
  await versionedModify(lite, notes, { id: 1 }, (() => ({ name: 'x' })) as ModifyFn<typeof items>);
}
