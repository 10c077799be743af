/**
 * Column keys may hold any character: a key `'a,b'` is not the keys `'a'` and `'b'`, neither in
 * the single-row statement cache nor in a batch's grouping by changed columns.
 */
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import * as assert from 'uvu/assert';
import { versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import type { Dialect } from '../support/databases.js';
import { tableDdl } from '../support/ddl.js';
import { databaseSuites } from '../support/suite.js';

function commaTable(dialect: Dialect): any {
  if (dialect === 'pg') {
    return pgc.pgTable('dc_comma', { id: pgc.integer().primaryKey(), 'a,b': pgc.integer('a_b'), a: pgc.integer('a'), b: pgc.integer('b'), version: pgv.integerVersion() });
  }
  if (dialect === 'mysql') {
    return my.mysqlTable('dc_comma', { id: my.int().primaryKey(), 'a,b': my.int('a_b'), a: my.int('a'), b: my.int('b'), version: myv.integerVersion() });
  }
  return lite.sqliteTable('dc_comma', { id: lite.integer().primaryKey(), 'a,b': lite.integer('a_b'), a: lite.integer('a'), b: lite.integer('b'), version: litev.integerVersion() });
}

await databaseSuites('column keys holding a comma', (test, { d, db }) => {
  const table = commaTable(d.dialect);
  const fresh = async () => {
    for (const statement of tableDdl(d.dialect, table)) await d.exec(statement);
    await db.insert(table).values([{ id: 1 }, { id: 2 }]);
  };
  const stored = async () => (await db.select().from(table).orderBy(table.id)).map((r: any) => [r['a,b'], r.a, r.b, r.version]);

  test("versionedUpdate: { 'a,b' } then { a, b } write their own columns (both orders)", async () => {
    await fresh();
    const [one, two] = await db.select().from(table).orderBy(table.id);
    await versionedUpdate(db, table, one, { 'a,b': 7 });
    await versionedUpdate(db, table, two, { a: 2, b: 3 });
    assert.equal(await stored(), [[7, null, null, 2], [null, 2, 3, 2]]);
    const [three, four] = await db.select().from(table).orderBy(table.id);
    await versionedUpdate(db, table, three, { a: 4, b: 5 });
    await versionedUpdate(db, table, four, { 'a,b': 8 });
    assert.equal(await stored(), [[7, 4, 5, 3], [8, 2, 3, 3]]);
  });

  test("versionedUpdateMany: items changing { 'a,b' } and { a, b } in one batch", async () => {
    await fresh();
    const [one, two] = await db.select().from(table).orderBy(table.id);
    const { updated } = await versionedUpdateMany(db, table, [
      { target: one, changes: { 'a,b': 7 } },
      { target: two, changes: { a: 2, b: 3 } },
    ]);
    assert.equal(updated.map((r: any) => [r['a,b'], r.a, r.b, r.version]), [[7, null, null, 2], [null, 2, 3, 2]]);
    assert.equal(await stored(), [[7, null, null, 2], [null, 2, 3, 2]]);
  });
});
