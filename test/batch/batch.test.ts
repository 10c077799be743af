import { sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { adapterForTable } from '../../src/dialect/adapters.js';
import { RecordDeletedError, RecordModifiedError, ConfigurationError, configureConcurrency, versionedDeleteMany, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

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
      counts.push(log.filter((q) => !/^(begin|commit|savepoint|release|select txid_)/i.test(q)).length);
    }
    assert.is(counts[0], counts[1]);
    // Transaction control aside (postgres.js with `prepare` also confirms the commit: txid_current / txid_status).
    // The locking read (key order), then the UPDATE; RETURNING carries the item index on PostgreSQL,
    // elsewhere one read-back maps rows to items.
    assert.is(counts[0], adapterForTable(t.accounts).returningSeesJoinedTables ? 2 : 3);
  });

  test('SQL expressions and plain values in one batch: each row gets its own', async () => {
    const rows = await seed(4);
    const plus = (n: number) => sql`${t.accounts.balance} + ${n}`;
    const { updated } = await versionedUpdateMany(db, t.accounts, [
      { target: rows[0], changes: { balance: plus(5) } },
      { target: rows[1], changes: { balance: 7 } },
      { target: rows[2], changes: { balance: plus(9), note: 'n' } },
      { target: rows[3], changes: { note: 'm' } },
    ]);
    assert.equal(updated.map((r: any) => [r.id, r.balance, r.note, r.version]), [
      [1, 5, null, 2],
      [2, 7, null, 2],
      [3, 9, 'n', 2],
      [4, 0, 'm', 2],
    ]);
  });

  test('a batch past the parameter limit runs in several statements and stays all or nothing', async () => {
    // Each row binds key, expected version and balance: one statement cannot hold them all.
    const n = Math.floor(adapterForTable(t.accounts).maxParameters / 3) + 7;
    for (let i = 0; i < n; i += 2000) {
      const ids = Array.from({ length: Math.min(2000, n - i) }, (_, j) => i + j + 1);
      await db.insert(t.accounts).values(ids.map((id) => ({ id, owner: 'o', balance: 0 })));
    }
    const rows = await db.select().from(t.accounts).orderBy(t.accounts.id);
    await versionedUpdate(db, t.accounts, rows[n - 1], { note: 'moved' });
    await rejects(() => versionedUpdateMany(db, t.accounts, rows.map((r: any) => ({ target: r, changes: { balance: 1 } }))), RecordModifiedError);
    const fresh = await db.select().from(t.accounts).orderBy(t.accounts.id);
    assert.ok(fresh.every((r: any) => r.balance === 0), 'the first statements were rolled back');
    const { updated } = await versionedUpdateMany(db, t.accounts, fresh.map((r: any) => ({ target: r, changes: { balance: 1 } })));
    assert.is(updated.length, n);
    assert.ok(updated.every((r: any, i: number) => r.id === i + 1 && r.balance === 1));
  });

  // SQLite serialises writers on the database lock (a second writer gets SQLITE_BUSY): no race to run there.
  if (d.dialect !== 'sqlite') test('two batches over the same rows released together: one applies entirely, the other nothing', async () => {
    await seed(20);
    const a = await d.connect(1);
    const b = await d.connect(1);
    try {
      const rowsA = await a.db.select().from(t.accounts).orderBy(t.accounts.id);
      const rowsB = await b.db.select().from(t.accounts).orderBy(t.accounts.id);
      const results = await Promise.allSettled([
        versionedUpdateMany(a.db, t.accounts, rowsA.map((r: any) => ({ target: r, changes: { note: 'a' } }))),
        versionedUpdateMany(b.db, t.accounts, rowsB.map((r: any) => ({ target: r, changes: { note: 'b' } }))),
      ]);
      const won = results.filter((r): r is PromiseFulfilledResult<any> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.is(won.length, 1);
      assert.is(lost.length, 1);
      assert.instance(lost[0]!.reason, RecordModifiedError);
      const winner = won[0]!.value.updated[0].note;
      const stored = await db.select().from(t.accounts);
      assert.ok(stored.every((r: any) => r.note === winner && r.version === 2));
    } finally {
      await a.close();
      await b.close();
    }
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

  test('versionedDeleteMany: one DELETE whatever the size; rows without a version (versionRequired: false) go unchecked beside checked ones', async () => {
    const counts: number[] = [];
    for (const n of [2, 40]) {
      await d.exec('delete from dc_accounts');
      const rows = await seed(n);
      const log: string[] = [];
      const { deleted } = await versionedDeleteMany(d.logged(log), t.accounts, rows);
      assert.is(deleted.length, n);
      counts.push(log.filter((q) => !/^(begin|commit|savepoint|release|select txid_)/i.test(q)).length);
    }
    // The locking read (key order), then one DELETE.
    assert.equal(counts, [2, 2]);
    const rows = await seed(3);
    await versionedUpdate(db, t.accounts, rows[0], { balance: 1 });
    await versionedUpdate(db, t.accounts, rows[1], { balance: 1 });
    configureConcurrency({ versionRequired: false });
    try {
      const unchecked = { id: rows[0].id };
      const { deleted, conflicts } = await versionedDeleteMany(db, t.accounts, [unchecked, rows[1], rows[2]], { policy: 'silent' });
      assert.equal(deleted, [unchecked, rows[2]]);
      assert.equal(conflicts.map((c) => c.key), [{ id: 2 }]);
    } finally {
      configureConcurrency({ versionRequired: true });
    }
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

  test('malformed batches are a ConfigurationError naming the table and the item, before any SQL', async () => {
    const rows = await seed(2);
    const log: string[] = [];
    const logged = d.logged(log);
    const ok = { target: rows[0], changes: { balance: 1 } };
    const bad: [unknown, RegExp][] = [
      ['nope', /versionedUpdateMany on "dc_accounts" takes an array of \{ target, changes \}, got "nope"/],
      [{ target: rows[0], changes: {} }, /takes an array .* got an object/],
      [[ok, null], /"dc_accounts": item 1 must be \{ target, changes \}, got null/],
      [[ok, 3], /item 1 must be \{ target, changes \}, got 3/],
      [[ok, { changes: {} }], /"dc_accounts": item 1 has no target/],
      [[{ target: rows[0] }], /"dc_accounts": item 0 has no changes/],
      [[ok, { target: { owner: 'x' }, changes: {} }], /batch item 1 of "dc_accounts": .*primary key "id"/],
      [[ok, { target: rows[1], changes: { ghost: 1 } }], /batch item 1 of "dc_accounts": .*"ghost"/],
    ];
    for (const [items, message] of bad) {
      await rejects(() => versionedUpdateMany(logged, t.accounts, items as never), ConfigurationError, message);
    }
    await rejects(() => versionedDeleteMany(logged, t.accounts, { id: 1 } as never), ConfigurationError, /versionedDeleteMany on "dc_accounts" takes an array of targets/);
    await rejects(() => versionedDeleteMany(logged, t.accounts, [rows[0], null] as never), ConfigurationError, /batch item 1 of "dc_accounts": target .* got null/);
    assert.equal(log, []);
    assert.equal(await balances(), [[0, 1], [0, 1]]);
  });
});
