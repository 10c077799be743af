import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import * as assert from 'uvu/assert';
import { RecordModifiedError, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { MYSQL_URL } from '../support/databases.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('mysql2 without FOUND_ROWS', (test, { t }) => {
  test('changed-row counts: a write that changes nothing is not a conflict; a stale one still is', async () => {
    const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1, flags: ['-FOUND_ROWS'] });
    try {
      const db: any = drizzle(pool);
      const [header] = (await pool.query('select 1')) as unknown as [unknown];
      assert.ok(header);
      await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
      const [row] = await db.select().from(t.posts);
      // Unchecked field, same value: MySQL reports 0 changed rows.
      const same = await versionedUpdate(db, t.posts, row, { views: 0 });
      assert.is(same.version, 1);
      const shadow = await versionedUpdate(db, t.posts, same, { title: 't' }, { increment: false });
      assert.is(shadow.version, 1);
      await versionedUpdate(db, t.posts, row, { title: 'moved' });
      await rejects(() => versionedUpdate(db, t.posts, row, { views: 0 }), RecordModifiedError);
    } finally {
      await pool.end();
    }
  });

  test('changed-row counts with returning: false: an unchanged row is no conflict, decided in the write\'s transaction', async () => {
    const log: string[] = [];
    const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1, flags: ['-FOUND_ROWS'] });
    try {
      const db: any = drizzle(pool, { logger: { logQuery: (q: string) => void log.push(q) } });
      await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
      const [row] = await db.select().from(t.posts);
      log.length = 0;
      // Nothing moves the version and views already is 0: 0 changed rows, yet the write matched.
      assert.equal(await versionedUpdate(db, t.posts, row, { views: 0 }, { returning: false }), { id: 1, version: 1 });
      // The update and the read that tells "unchanged" from "conflict" share one transaction.
      assert.equal(log.map((q) => q.split(' ')[0]!.toLowerCase()), ['begin', 'update', 'select', 'commit']);
      await versionedUpdate(db, t.posts, row, { title: 'moved' });
      await rejects(() => versionedUpdate(db, t.posts, row, { views: 0 }, { returning: false }), RecordModifiedError);
      // A write that always moves the version counts 1 changed row: one statement.
      log.length = 0;
      assert.equal(await versionedUpdate(db, t.posts, { id: 1, version: 2 }, {}, { returning: false }), { id: 1, version: 3 });
      assert.is(log.length, 1);
    } finally {
      await pool.end();
    }
  });

  test('matched-row counts (the default): returning: false on a conditional version is one statement', async () => {
    const log: string[] = [];
    const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1 });
    try {
      const db: any = drizzle(pool, { logger: { logQuery: (q: string) => void log.push(q) } });
      await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
      log.length = 0;
      assert.equal(await versionedUpdate(db, t.posts, { id: 1, version: 1 }, { views: 0 }, { returning: false }), { id: 1, version: 1 });
      assert.equal(await versionedUpdate(db, t.posts, { id: 1, version: 1 }, { title: 'u' }, { returning: false }), { id: 1, version: undefined });
      assert.is(log.length, 2, log.join('\n'));
    } finally {
      await pool.end();
    }
  });

  test('changed-row counts: a batch with an unchanged row applies every row; a stale one still conflicts', async () => {
    const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1, flags: ['-FOUND_ROWS'] });
    try {
      const db: any = drizzle(pool);
      await db.insert(t.posts).values([{ id: 1, title: 't', body: 'b' }, { id: 2, title: 'u', body: 'c' }]);
      const rows = await db.select().from(t.posts).orderBy(t.posts.id);
      // Row 1 changes nothing (views already 0, an unchecked field): MySQL counts 1 changed row of 2.
      const { updated } = await versionedUpdateMany(db, t.posts, [
        { target: rows[0], changes: { views: 0 } },
        { target: rows[1], changes: { views: 5 } },
      ]);
      assert.equal(updated.map((r: any) => [r.id, r.views, r.version]), [[1, 0, 1], [2, 5, 1]]);
      const touched = await versionedUpdateMany(db, t.posts, [
        { target: updated[0]!, changes: { title: 't' } },
        { target: updated[1]!, changes: { title: 'moved' } },
      ]);
      assert.equal(touched.updated.map((r: any) => [r.title, r.version]), [['t', 1], ['moved', 2]]);
      await rejects(() => versionedUpdateMany(db, t.posts, [{ target: rows[1], changes: { views: 0 } }]), RecordModifiedError);
    } finally {
      await pool.end();
    }
  });
}, { dialects: ['mysql'] });
