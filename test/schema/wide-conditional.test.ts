import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import * as assert from 'uvu/assert';
import { versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import type { Dialect } from '../support/databases.js';
import { databaseSuites } from '../support/suite.js';

/** Watched columns: SQLite's expression depth limit is 1000; MySQL/InnoDB allows 1017 columns a table. */
const WIDTH = 1000;

function wideTable(dialect: Dialect): any {
  const names = Array.from({ length: WIDTH }, (_, i) => `c${i}`);
  if (dialect === 'pg') {
    return pgc.pgTable('wide_watch', { id: pgc.integer().primaryKey(), ...Object.fromEntries(names.map((n) => [n, pgc.integer()])), version: pgv.conditionalVersion() });
  }
  if (dialect === 'mysql') {
    return my.mysqlTable('wide_watch', { id: my.int().primaryKey(), ...Object.fromEntries(names.map((n) => [n, my.int()])), version: myv.conditionalVersion() });
  }
  return lite.sqliteTable('wide_watch', { id: lite.integer().primaryKey(), ...Object.fromEntries(names.map((n) => [n, lite.integer()])), version: litev.conditionalVersion() });
}

await databaseSuites('conditionalVersion watching 1,000 columns', (test, ctx) => {
  const wide = wideTable(ctx.d.dialect);
  ctx.tables.push(wide);
  const values = (n: number) => Object.fromEntries(Array.from({ length: WIDTH }, (_, i) => [`c${i}`, n + i]));

  test('an update changing all of them moves the version once; the same values again leave it', async () => {
    await ctx.db.insert(wide).values({ id: 1 });
    const [row] = await ctx.db.select().from(wide);
    const saved = await versionedUpdate(ctx.db, wide, row, values(1));
    assert.is(saved.version, 2);
    assert.is(saved.c999, 1000);
    const same = await versionedUpdate(ctx.db, wide, saved, values(1));
    assert.is(same.version, 2);
    const { updated } = await versionedUpdateMany(ctx.db, wide, [{ target: same, changes: values(2) }], { policy: 'silent' });
    assert.is((updated[0] as any).version, 3);
  });
});
