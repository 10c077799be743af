import { eq } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { RecordModifiedError, retryOnConflict, versionedUpdate } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

const WORKERS = 25;
const INCREMENTS = 5;

await databaseSuites('races', (test, { d, t, db }) => {
  test(`${WORKERS} concurrent workers × ${INCREMENTS} increments through retryOnConflict end at exactly ${WORKERS * INCREMENTS}`, async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'hot', balance: 0 });
    const pool = await d.connect(10);
    let conflicts = 0;
    try {
      const worker = async () => {
        for (let i = 0; i < INCREMENTS; i++) {
          await retryOnConflict(
            async (attempt) => {
              if (attempt > 1) conflicts++;
              const [row] = await pool.db.select().from(t.accounts).where(eq(t.accounts.id, 1));
              await versionedUpdate(pool.db, t.accounts, row, { balance: row.balance + 1 });
            },
            { attempts: 10_000, backoffMs: 2 },
          );
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
    } finally {
      await pool.close();
    }
    const [row] = await db.select().from(t.accounts);
    assert.is(row.balance, WORKERS * INCREMENTS);
    assert.is(row.version, 1 + WORKERS * INCREMENTS);
    if (d.name.startsWith('pg/postgres') || d.name.startsWith('pg/node') || d.dialect === 'mysql') {
      assert.ok(conflicts > 0, 'a real pool should interleave readers');
    }
  });

  test('two writers released by a barrier after both read: exactly one wins', async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'hot', balance: 0 });
    const a = await d.connect(1);
    const b = await d.connect(1);
    try {
      const [rowA] = await a.db.select().from(t.accounts);
      const [rowB] = await b.db.select().from(t.accounts);
      const results = await Promise.allSettled([
        versionedUpdate(a.db, t.accounts, rowA, { balance: 1, note: 'a' }),
        versionedUpdate(b.db, t.accounts, rowB, { balance: 2, note: 'b' }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.is(won.length, 1);
      assert.is(lost.length, 1);
      assert.instance(lost[0]!.reason, RecordModifiedError);
      const [stored] = await db.select().from(t.accounts);
      assert.is(stored.version, 2);
      assert.is(stored.note, (won[0] as PromiseFulfilledResult<any>).value.note);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('retryOnConflict rethrows after the last attempt and never retries a deleted row', async () => {
    let calls = 0;
    const stale = { id: 1, version: 1 };
    await db.insert(t.accounts).values({ id: 1, owner: 'x' });
    await db.update(t.accounts).set({ balance: 1 });
    await rejects(
      () => retryOnConflict(async () => (calls++, versionedUpdate(db, t.accounts, stale, { balance: 2 })), { attempts: 3 }),
      RecordModifiedError,
    );
    assert.is(calls, 3);
    calls = 0;
    await db.delete(t.accounts);
    await rejects(() => retryOnConflict(async () => (calls++, versionedUpdate(db, t.accounts, stale, { balance: 2 })), { attempts: 3 }));
    assert.is(calls, 1);
  });
});
