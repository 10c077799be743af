/**
 * `writeKnownRow` through versionedModify: on MySQL a cold key's integer change is one plain
 * UPDATE whose stored row is known from the row just read; wherever the database computes a
 * value of the write (a generated column, `on update now()`) or the version need not move on
 * every write (timestamps, conditional versions), the row is read back instead. Every dialect
 * resolves to the row as stored.
 */
import { eq, sql } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as assert from 'uvu/assert';
import { versionedModify } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import { resetHotKeys } from '../../src/write/hot-keys.js';
import { generatedTable } from '../support/generated-table.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('versionedModify: the stored row known without a read-back', (test, { d, t, db }) => {
  /** The statements `log` holds, transaction control left out; MariaDB's compound write as `compound`. */
  const statements = (log: string[]) =>
    log
      .filter((q) => /^begin not atomic/i.test(q) || !/^(begin|commit|rollback|select txid_)/i.test(q))
      .map((q) => (/^begin not atomic/i.test(q) ? 'compound' : /for update/.test(q) ? 'select for update' : /^\w+/.exec(q)![0]));
  /** What a cold versionedModify sends when the stored row must be read back: MariaDB one compound write, MySQL update + locked read. */
  const readBack = (log: string[]) => (d.dialect !== 'mysql' ? ['select', 'update'] : log.some((q) => /^begin not atomic/i.test(q)) ? ['select', 'compound'] : ['select', 'update', 'select for update']);
  test.before.each(() => resetHotKeys());

  test('an integer or null change on a row with a version that always moves: one update, the row as stored', async () => {
    await db.insert(t.items).values({ id: 1, name: 'a', price: 5 });
    const log: string[] = [];
    const saved = await versionedModify(d.logged(log), t.items, { id: 1 }, (row) => ({ price: row.price === null ? 1 : null }));
    assert.equal(statements(log), ['select', 'update'], log.join('\n'));
    assert.equal(saved, (await db.select().from(t.items).where(eq(t.items.id, 1)))[0]);
    assert.is(saved.price, null);
    assert.is(saved.version, 2);
  });

  test('a generated column: read back, and the stored row carries its new value', async () => {
    const gen = generatedTable(d.dialect);
    for (const statement of gen.ddl) await d.exec(statement);
    try {
      await d.exec('insert into gen_rows (id, a) values (1, 2)');
      const log: string[] = [];
      const saved = await versionedModify(d.logged(log), gen.table, { id: 1 }, (row: any) => ({ a: (row.a as number) + 1 }));
      assert.equal(statements(log), readBack(log), log.join('\n'));
      assert.equal([saved.a, saved.doubled, saved.version], [3, 6, 2]);
      assert.equal(saved, (await db.select().from(gen.table))[0]);
    } finally {
      await d.exec('drop table if exists gen_rows');
    }
  });

  test('timestamp and conditional versions (which a write need not move): read back', async () => {
    await db.insert(t.docs).values({ id: 1, body: '1' });
    await db.insert(t.posts).values({ id: 1, title: 't', views: 0 });
    const log: string[] = [];
    const doc = await versionedModify(d.logged(log), t.docs, { id: 1 }, () => ({ body: '2' }));
    assert.equal(statements(log), readBack(log), log.join('\n'));
    assert.equal(doc, (await db.select().from(t.docs))[0]);
    log.length = 0;
    const post = await versionedModify(d.logged(log), t.posts, { id: 1 }, (row) => ({ views: row.views + 1 }));
    assert.equal(statements(log), readBack(log), log.join('\n'));
    assert.equal(post, (await db.select().from(t.posts))[0]);
    assert.is(post.version, 1, 'views is not watched: the version stays');
  });

  if (d.dialect === 'mysql') {
    test('MySQL `on update current_timestamp`: read back, and the stored row carries the new time', async () => {
      const stamped = my.mysqlTable('upd_rows', {
        id: my.int().primaryKey(),
        n: my.int().notNull(),
        touched: my.timestamp({ fsp: 3 }).notNull().defaultNow().onUpdateNow(),
        version: myv.integerVersion(),
      });
      await d.exec('drop table if exists upd_rows');
      await d.exec('create table upd_rows (id int primary key, n int not null, touched timestamp(3) not null default current_timestamp(3) on update current_timestamp(3), version int not null default 1)');
      try {
        await db.insert(stamped).values({ id: 1, n: 0, touched: new Date('2001-02-03T04:05:06.789Z') });
        const [before] = await db.select().from(stamped);
        const log: string[] = [];
        const saved = await versionedModify(d.logged(log), stamped, { id: 1 }, (row) => ({ n: row.n + 1 }));
        assert.equal(statements(log), readBack(log), log.join('\n'));
        assert.equal(saved, (await db.select().from(stamped))[0]);
        assert.ok(saved.touched.getTime() !== before.touched.getTime(), `the database moved touched (${String(saved.touched)})`);
      } finally {
        await db.execute(sql.raw('drop table if exists upd_rows'));
      }
    });
  }
});
