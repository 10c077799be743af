/**
 * MariaDB's one-statement read-back (`begin not atomic … end`) and the path MySQL takes, which
 * has no compound statements: the update and the locking read one by one in a transaction.
 */
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import mysql from 'mysql2/promise';
import * as assert from 'uvu/assert';
import { RecordDeletedError, RecordModifiedError, isTransientError, versionedModify, versionedUpdate } from '../../src/index.js';
import { integerVersion } from '../../src/mysql/index.js';
import { markNoCompoundStatements } from '../../src/mysql/mysql-adapter.js';
import { rejects } from '../support/assert-rejects.js';
import { MYSQL_URL } from '../support/databases.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites(
  'MySQL read-back statements',
  (test, { t, db }) => {
    const withPool = async (fn: (db: any, log: string[], pool: mysql.Pool) => Promise<void>) => {
      const log: string[] = [];
      const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1 });
      try {
        await fn(drizzle(pool, { logger: { logQuery: (q: string) => void log.push(q) } }), log, pool);
      } finally {
        await pool.end();
      }
    };

    test('an error inside the compound statement surfaces unchanged and leaves no transaction open', async () => {
      await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 5 });
      await withPool(async (pooled, _log, pool) => {
        const error = await rejects(() => versionedUpdate(pooled, t.accounts, { id: 1, version: 1 }, { balance: 1, owner: sql`null` as any }));
        const codes: unknown[] = [];
        for (let e: any = error; e; e = e.cause) codes.push(e.errno);
        assert.ok(codes.includes(1048), `ER_BAD_NULL_ERROR expected in ${JSON.stringify(codes)}`);
        const [[state]] = (await pool.query('select @@in_transaction as open')) as any;
        assert.is(Number(state.open), 0);
      });
      assert.equal((await db.select().from(t.accounts))[0], { id: 1, owner: 'a', balance: 5, note: null, version: 1 });
    });

    test('a lock wait timeout inside it is still a transient error (resignal keeps the code)', async () => {
      await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 5 });
      const holder = await mysql.createConnection({ uri: MYSQL_URL });
      try {
        await holder.query('start transaction');
        await holder.query('select * from dc_accounts where id = 1 for update');
        await withPool(async (pooled, _log, pool) => {
          await pool.query('set session innodb_lock_wait_timeout = 1');
          const error = await rejects(() => versionedUpdate(pooled, t.accounts, { id: 1, version: 1 }, { balance: 1 }));
          assert.ok(isTransientError(error), String(error));
          const [[state]] = (await pool.query('select @@in_transaction as open')) as any;
          assert.is(Number(state.open), 0);
        });
      } finally {
        await holder.query('rollback');
        await holder.end();
      }
    });

    test('without compound statements (MySQL): begin; update; select … for update; commit, same results', async () => {
      await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 5 });
      await withPool(async (pooled, log) => {
        markNoCompoundStatements(pooled);
        const saved = await versionedUpdate(pooled, t.accounts, { id: 1, version: 1 }, { balance: 6 });
        assert.equal(saved, { id: 1, owner: 'a', balance: 6, note: null, version: 2 });
        assert.equal(log.map((q) => q.split(' ')[0]), ['begin', 'update', 'select', 'commit']);
        const error = (await rejects(() => versionedUpdate(pooled, t.accounts, { id: 1, version: 1 }, { balance: 7 }), RecordModifiedError)) as RecordModifiedError;
        assert.equal(error.current, saved);
        await pooled.delete(t.accounts).where(eq(t.accounts.id, 1));
        await rejects(() => versionedUpdate(pooled, t.accounts, saved, { balance: 7 }), RecordDeletedError);
      });
    });

    test('versionedModify without compound statements (MySQL): every key read under the lock of the write’s own transaction, 4 statements', async () => {
      await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 5 });
      await withPool(async (pooled, log) => {
        markNoCompoundStatements(pooled);
        const saved = await versionedModify(pooled, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
        assert.equal(saved, { id: 1, owner: 'a', balance: 6, note: null, version: 2 });
        assert.equal(log.map((q) => q.split(' ')[0]), ['begin', 'select', 'update', 'commit'], log.join('\n'));
        assert.ok(/for update/i.test(log[1]!), `the read is a locking read\n${log[1]}`);
      });
      // With compound statements (MariaDB) a cold key stays a plain read and one write: the
      // compound one, or for an integer change (the stored row known from the row read) a plain update.
      await withPool(async (pooled, log) => {
        await versionedModify(pooled, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
        assert.equal(log.map((q) => q.split(' ')[0]), ['select', 'update'], log.join('\n'));
        log.length = 0;
        const saved = await versionedModify(pooled, t.accounts, { id: 1 }, (row) => ({ note: `at ${row.balance}` }));
        assert.equal(saved, { id: 1, owner: 'a', balance: 7, note: 'at 7', version: 4 });
        assert.equal(log.map((q) => q.split(' ')[0]), ['select', 'begin'], log.join('\n'));
        assert.ok(/^begin not atomic/i.test(log[1]!), log.join('\n'));
        assert.not.ok(/for update/i.test(log[0]!), `the read is not a locking read\n${log[0]}`);
      });
    });

    test('the compound read-back maps values as Drizzle does (timestamps, conditional versions, moved keys)', async () => {
      await db.insert(t.docs).values({ id: 1, body: 'a' });
      const [doc] = await db.select().from(t.docs);
      const savedDoc = await versionedUpdate(db, t.docs, doc, { body: 'b' });
      assert.equal(savedDoc, (await db.select().from(t.docs))[0]);
      await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
      const post = await versionedUpdate(db, t.posts, { id: 1, version: 1 }, { title: 'u', views: 2 });
      assert.equal(post, { id: 1, title: 'u', body: 'b', views: 2, version: 2 });
      await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 5 });
      const moved = await versionedUpdate(db, t.accounts, { id: 1, version: 1 }, { id: 9 });
      assert.equal(moved, { id: 9, owner: 'a', balance: 5, note: null, version: 2 });
      await rejects(() => versionedUpdate(db, t.accounts, { id: 1, version: 1 }, { id: 10 }), RecordDeletedError);
    });

    test("Drizzle's casing option: the read-back finds columns under their cased SQL names", async () => {
      const cased = mysqlTable('dc_cased', { id: int().primaryKey(), ownerName: varchar({ length: 20 }), version: integerVersion() });
      await db.execute(sql.raw('drop table if exists dc_cased'));
      await db.execute(sql.raw('create table dc_cased (id int primary key, owner_name varchar(20), version int not null default 1)'));
      const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1 });
      try {
        const snake = drizzle(pool, { casing: 'snake_case' });
        await snake.insert(cased).values({ id: 1, ownerName: 'a' });
        const saved = await versionedUpdate(snake, cased, { id: 1, version: 1 }, { ownerName: 'b' });
        assert.equal(saved, { id: 1, ownerName: 'b', version: 2 });
      } finally {
        await pool.end();
        await db.execute(sql.raw('drop table if exists dc_cased'));
      }
    });
  },
  { dialects: ['mysql'] },
);
