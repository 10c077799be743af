import * as assert from 'uvu/assert';
import { RecordDeletedError, RecordModifiedError, ConfigurationError, versionedDeleteMany, versionedUpdate, versionedUpdateMany } from '../src/index.js';
import { rejects } from './support/assert-rejects.js';
import { databaseSuites } from './support/suite.js';

await databaseSuites('batch writes', (test, { db, t, d }) => {
  const seed = async (n: number) => {
    await db.insert(t.accounts).values(Array.from({ length: n }, (_, i) => ({ id: i + 1, owner: `o${i + 1}`, balance: 0 })));
    return db.select().from(t.accounts).orderBy(t.accounts.id);
  };
  const balances = async () => (await db.select().from(t.accounts).orderBy(t.accounts.id)).map((r: any) => [r.balance, r.version]);

  test('abort: every row updated and returned in order, versions moved', async () => {
    const rows = await seed(3);
    const { updated, conflicts } = await versionedUpdateMany(
      db,
      t.accounts,
      rows.map((r: any) => ({ target: r, changes: { balance: r.id * 10 } })),
    );
    assert.equal(conflicts, []);
    assert.equal(updated.map((r) => [r.id, r.balance, r.version]), [[1, 10, 2], [2, 20, 2], [3, 30, 2]]);
    assert.equal(await balances(), [[10, 2], [20, 2], [30, 2]]);
  });

  test('abort: one stale row applies nothing and throws its error', async () => {
    const rows = await seed(3);
    await versionedUpdate(db, t.accounts, rows[1], { balance: 5 });
    const err = (await rejects(
      () => versionedUpdateMany(db, t.accounts, rows.map((r: any) => ({ target: r, changes: { balance: 99 } })), { policy: 'abort' }),
      RecordModifiedError,
    )) as RecordModifiedError;
    assert.equal(err.key, { id: 2 });
    assert.equal(await balances(), [[0, 1], [5, 2], [0, 1]]);
  });

  test('silent: applies the rest and reports the conflicts (modified and deleted)', async () => {
    const rows = await seed(4);
    await versionedUpdate(db, t.accounts, rows[1], { balance: 5 });
    await db.delete(t.accounts).where((await import('drizzle-orm')).eq(t.accounts.id, 4));
    const { updated, conflicts } = await versionedUpdateMany(
      db,
      t.accounts,
      rows.map((r: any) => ({ target: r, changes: { balance: 7, note: `n${r.id}` } })),
      { policy: 'silent' },
    );
    assert.equal(updated.map((r) => r.id), [1, 3]);
    assert.equal(updated.map((r) => r.note), ['n1', 'n3']);
    assert.is(conflicts.length, 2);
    assert.instance(conflicts[0], RecordModifiedError);
    assert.not.instance(conflicts[0], RecordDeletedError);
    assert.instance(conflicts[1], RecordDeletedError);
    assert.equal(await balances(), [[7, 2], [5, 2], [7, 2]]);
  });

  test('items may change different columns, and conditional versions decide per row', async () => {
    await db.insert(t.posts).values([
      { id: 1, title: 'a', body: 'x' },
      { id: 2, title: 'b', body: 'y' },
      { id: 3, title: 'c', body: 'z' },
    ]);
    const rows = await db.select().from(t.posts).orderBy(t.posts.id);
    const { updated } = await versionedUpdateMany(db, t.posts, [
      { target: rows[0], changes: { title: 'A' } },
      { target: rows[1], changes: { views: 3 } },
      { target: rows[2], changes: { title: 'c', body: 'Z', views: 1 } },
    ]);
    assert.equal(updated.map((r) => [r.title, r.body, r.views, r.version]), [
      ['A', 'x', 0, 2],
      ['b', 'y', 3, 1],
      ['c', 'Z', 1, 2],
    ]);
  });

  test('a constant number of statements per batch, whatever its size', async () => {
    const counts: number[] = [];
    for (const n of [2, 40]) {
      await d.exec('delete from dc_accounts');
      const rows = await seed(n);
      const log: string[] = [];
      await versionedUpdateMany(d.logged(log), t.accounts, rows.map((r: any) => ({ target: r, changes: { balance: 1 } })));
      counts.push(log.filter((q) => !/^(begin|commit|savepoint|release)/i.test(q)).length);
    }
    assert.is(counts[0], counts[1]);
    assert.ok(counts[0]! <= 3, `statements: ${counts[0]}`);
  });

  test('versionedDeleteMany: abort deletes nothing on a conflict; silent deletes the rest', async () => {
    const rows = await seed(3);
    await versionedUpdate(db, t.accounts, rows[0], { balance: 1 });
    await rejects(() => versionedDeleteMany(db, t.accounts, rows), RecordModifiedError);
    assert.is((await balances()).length, 3);
    const { deleted, conflicts } = await versionedDeleteMany(db, t.accounts, rows, { policy: 'silent' });
    assert.equal(deleted.map((r: any) => r.id), [2, 3]);
    assert.equal(conflicts.map((c) => c.key), [{ id: 1 }]);
    assert.equal(await balances(), [[1, 2]]);
  });

  test('composite keys in batches', async () => {
    await db.insert(t.memberships).values([
      { orgId: 1, userId: 1, role: 'a' },
      { orgId: 1, userId: 2, role: 'b' },
    ]);
    const rows = await db.select().from(t.memberships).orderBy(t.memberships.userId);
    const { updated } = await versionedUpdateMany(db, t.memberships, rows.map((r: any) => ({ target: r, changes: { role: r.role + '!' } })));
    assert.equal(updated.map((r) => [r.role, r.version]), [['a!', 2], ['b!', 2]]);
    await rejects(() => versionedDeleteMany(db, t.memberships, rows), RecordModifiedError);
    const { deleted } = await versionedDeleteMany(db, t.memberships, updated);
    assert.is(deleted.length, 2);
  });

  test('bad batches are refused before any SQL: unknown policy, a row twice, a bad item', async () => {
    const rows = await seed(2);
    const log: string[] = [];
    const logged = d.logged(log);
    await rejects(() => versionedUpdateMany(logged, t.accounts, [{ target: rows[0], changes: {} }], { policy: 'nope' as never }), ConfigurationError, /policy/);
    await rejects(
      () => versionedUpdateMany(logged, t.accounts, [{ target: rows[0], changes: {} }, { target: rows[0], changes: {} }]),
      ConfigurationError,
      /names \(id=1\) twice/,
    );
    await rejects(() => versionedUpdateMany(logged, t.accounts, [{ target: rows[0], changes: { version: 3 } as never }]), ConfigurationError);
    assert.equal(log, []);
    assert.equal(await versionedUpdateMany(db, t.accounts, []), { updated: [], conflicts: [] });
  });
});
