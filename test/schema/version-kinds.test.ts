import { and, eq, sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { RecordModifiedError, versionedUpdate } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('version kinds', (test, { db, t, d }) => {
  // Drizzle's SQLite insert prefers the DDL default (1) over $defaultFn: there only writes take the clock.
  const insertsTakeClock = d.dialect !== 'sqlite';

  test('timestampVersion: inserts take the wall clock (µs), writes take max(old + 1, now)', async () => {
    const before = Date.now() * 1000;
    await db.insert(t.docs).values({ id: 1, body: 'a' });
    const [row] = await db.select().from(t.docs);
    if (insertsTakeClock) assert.ok(row.version >= before && row.version <= Date.now() * 1000 + 1000, `inserted ${row.version}`);
    else assert.is(row.version, 1);
    const saved = await versionedUpdate(db, t.docs, row, { body: 'b' });
    assert.type(saved.version, 'number');
    assert.ok(saved.version > row.version);
    assert.ok(saved.version >= before);
    await rejects(() => versionedUpdate(db, t.docs, row, { body: 'c' }), RecordModifiedError);
    // a version far in the future still moves by exactly one
    await db.update(t.docs).set({ version: 9_000_000_000_000_000 }).where(eq(t.docs.id, 1));
    const future = await versionedUpdate(db, t.docs, { id: 1, version: 9_000_000_000_000_000 }, { body: 'd' });
    assert.is(future.version, 9_000_000_000_000_001);
  });

  test('timestampVersion: a re-created row never gets the version of the deleted one', async () => {
    await db.insert(t.docs).values({ id: 1, body: 'a' });
    if (!insertsTakeClock) await db.update(t.docs).set({ body: 'moved once' });
    const [old] = await db.select().from(t.docs);
    await db.delete(t.docs);
    await new Promise((r) => setTimeout(r, 2));
    await db.insert(t.docs).values({ id: 1, body: 'a' });
    const [recreated] = await db.select().from(t.docs);
    assert.is.not(recreated.version, old.version);
    await rejects(() => versionedUpdate(db, t.docs, old, { body: 'stale' }), RecordModifiedError);
  });

  test('conditionalVersion: a checked field that changes bumps', async () => {
    await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
    const [row] = await db.select().from(t.posts);
    const saved = await versionedUpdate(db, t.posts, row, { title: 'new title' });
    assert.is(saved.version, 2);
    assert.is(saved.title, 'new title');
  });

  test('conditionalVersion: unchecked field or same value → no bump and no conflict', async () => {
    await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
    const [row] = await db.select().from(t.posts);
    const a = await versionedUpdate(db, t.posts, row, { views: 10 });
    assert.is(a.version, 1);
    assert.is(a.views, 10);
    const b = await versionedUpdate(db, t.posts, row, { title: 't', views: 11 });
    assert.is(b.version, 1, 'same value is no change');
    const c = await versionedUpdate(db, t.posts, row, { body: 'b2', views: 12 });
    assert.is(c.version, 2, 'checked body changed');
    await rejects(() => versionedUpdate(db, t.posts, row, { views: 13 }), RecordModifiedError);
  });

  test('conditionalVersion: the change is decided against the old value, NULLs included', async () => {
    await db.insert(t.posts).values({ id: 1, title: null, body: 'b' });
    const [row] = await db.select().from(t.posts);
    const same = await versionedUpdate(db, t.posts, row, { title: null });
    assert.is(same.version, 1);
    const set = await versionedUpdate(db, t.posts, same, { title: 'x' });
    assert.is(set.version, 2);
    const cleared = await versionedUpdate(db, t.posts, set, { title: null, body: 'b' });
    assert.is(cleared.version, 3);
  });

  test('conditionalVersion: a case-only change is a change (MySQL collations ignore case)', async () => {
    await db.insert(t.posts).values({ id: 1, title: 'abc', body: 'b' });
    const [row] = await db.select().from(t.posts);
    const saved = await versionedUpdate(db, t.posts, row, { title: 'ABC' });
    assert.is(saved.title, 'ABC');
    assert.is(saved.version, 2);
    const spaced = await versionedUpdate(db, t.posts, saved, { title: 'ABC ' });
    assert.is(spaced.version, 3);
  });

  test('conditionalVersion: a plain db.update() leaves it alone', async () => {
    await db.insert(t.posts).values({ id: 1, title: 't', body: 'b' });
    await db.update(t.posts).set({ title: 'u' }).where(eq(t.posts.id, 1));
    const [row] = await db.select().from(t.posts);
    assert.is(row.version, 1);
  });

  test('integer and timestamp versions move on a plain db.update(), unchecked', async () => {
    await db.insert(t.accounts).values([
      { id: 1, owner: 'a' },
      { id: 2, owner: 'b' },
    ]);
    await db.update(t.accounts).set({ balance: 5 });
    const rows = await db.select().from(t.accounts).orderBy(t.accounts.id);
    assert.equal(rows.map((r: any) => r.version), [2, 2]);
    await db.insert(t.docs).values({ id: 1, body: 'a' });
    const [doc] = await db.select().from(t.docs);
    await db.update(t.docs).set({ body: 'b' }).where(eq(t.docs.id, 1));
    const [after] = await db.select().from(t.docs);
    assert.ok(after.version > doc.version);
    await rejects(() => versionedUpdate(db, t.docs, doc, { body: 'c' }), RecordModifiedError);
  });

  test('other $onUpdate columns are evaluated on every versioned write', async () => {
    await db.insert(t.stamped).values({ id: 1, label: 'a' });
    const [row] = await db.select().from(t.stamped);
    assert.is(row.touchedAt, 5);
    const saved = await versionedUpdate(db, t.stamped, row, { label: 'b' });
    assert.is(saved.touchedAt, 42);
    assert.is(saved.version, 2);
  });

  test('composite primary keys: only the addressed row moves', async () => {
    await db.insert(t.memberships).values([
      { orgId: 1, userId: 1, role: 'a' },
      { orgId: 1, userId: 2, role: 'b' },
      { orgId: 2, userId: 1, role: 'c' },
    ]);
    const [row] = await db
      .select()
      .from(t.memberships)
      .where(and(eq(t.memberships.orgId, 1), eq(t.memberships.userId, 2)));
    const saved = await versionedUpdate(db, t.memberships, row, { role: 'admin' });
    assert.equal(saved, { orgId: 1, userId: 2, role: 'admin', version: 2 });
    const err = await rejects(() => versionedUpdate(db, t.memberships, row, { role: 'x' }), RecordModifiedError);
    assert.equal((err as RecordModifiedError).key, { orgId: 1, userId: 2 });
    assert.match(err.message, /\(orgId=1, userId=2\) expected version 1, found 2/);
    const all = await db.select().from(t.memberships).orderBy(t.memberships.orgId, t.memberships.userId);
    assert.equal(all.map((r: any) => r.version), [1, 2, 1]);
  });

  test('a sql value in changes is computed by the database', async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 7 });
    const [row] = await db.select().from(t.accounts);
    const saved = await versionedUpdate(db, t.accounts, row, { balance: sql`${t.accounts.balance} + 3` });
    assert.is(saved.balance, 10);
  });
});
