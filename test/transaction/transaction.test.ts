import { eq, sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { RecordModifiedError, versionedDelete, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

/**
 * The caller's own transaction around awaited writes: `db.transaction(async tx => …)`, or on a
 * driver whose transactions are synchronous (better-sqlite3, where an async callback throws
 * "Transaction function cannot return a promise") what its user writes instead: `begin` …
 * `commit` through `db.run`, `rollback` on a throw, the writes given the database itself.
 */
async function callerTransaction(db: any, fn: (tx: any) => Promise<void>): Promise<void> {
  if (db.resultKind !== 'sync') return db.transaction(fn);
  db.run(sql`begin immediate`);
  try {
    await fn(db);
    db.run(sql`commit`);
  } catch (error) {
    db.run(sql`rollback`);
    throw error;
  }
}

await databaseSuites('inside db.transaction', (test, { db, t }) => {
  const seed = async () => {
    await db.insert(t.accounts).values([
      { id: 1, owner: 'a', balance: 10 },
      { id: 2, owner: 'b', balance: 20 },
    ]);
    return db.select().from(t.accounts).orderBy(t.accounts.id);
  };
  const balances = async () => (await db.select().from(t.accounts).orderBy(t.accounts.id)).map((r: any) => r.balance);

  test('writes commit with the caller’s transaction', async () => {
    const [a, b] = await seed();
    await callerTransaction(db, async (tx: any) => {
      await versionedUpdate(tx, t.accounts, a, { balance: 5 });
      await versionedUpdate(tx, t.accounts, b, { balance: 25 });
    });
    assert.equal(await balances(), [5, 25]);
  });

  test('a conflict rolls back the caller’s earlier writes', async () => {
    const [a, b] = await seed();
    await db.update(t.accounts).set({ note: 'someone else' }).where(eq(t.accounts.id, 2));
    await rejects(
      () =>
        callerTransaction(db, async (tx: any) => {
          await versionedUpdate(tx, t.accounts, a, { balance: 0 });
          await tx.update(t.accounts).set({ note: 'plain write' }).where(eq(t.accounts.id, 1));
          await versionedUpdate(tx, t.accounts, b, { balance: 30 });
        }),
      RecordModifiedError,
    );
    const rows = await db.select().from(t.accounts).orderBy(t.accounts.id);
    assert.equal(rows.map((r: any) => [r.balance, r.note, r.version]), [[10, null, 1], [20, 'someone else', 2]]);
  });

  test('batches and deletes nest in the caller’s transaction (savepoints)', async () => {
    const [a, b] = await seed();
    await rejects(
      () =>
        callerTransaction(db, async (tx: any) => {
          await versionedUpdateMany(tx, t.accounts, [{ target: a, changes: { balance: 1 } }]);
          await versionedDelete(tx, t.accounts, b);
          throw new Error('caller gives up');
        }),
      Error,
      /caller gives up/,
    );
    assert.equal(await balances(), [10, 20]);
    await callerTransaction(db, async (tx: any) => {
      const { conflicts } = await versionedUpdateMany(
        tx,
        t.accounts,
        [
          { target: a, changes: { balance: 1 } },
          { target: { ...b, version: 9 }, changes: { balance: 2 } },
        ],
        { policy: 'silent' },
      );
      assert.is(conflicts.length, 1);
    });
    assert.equal(await balances(), [1, 20]);
  });
});
