/**
 * Drivers whose Drizzle transactions are synchronous (better-sqlite3): the library's own
 * transactions, the caller's synchronous `db.transaction(tx => …)` and the caller's
 * `begin` … `commit`, and connections of one process taking turns instead of blocking the thread.
 */
import { eq, sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { ConfigurationError, RecordModifiedError, versionedDelete, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { sqliteAdapter } from '../../src/sqlite/sqlite-adapter.js';
import { inTransaction } from '../../src/transaction/in-transaction.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites(
  'synchronous transactions',
  (test, { d, db, t }) => {
    if (db.resultKind !== 'sync') return;
    const seed = async () => {
      await db.insert(t.accounts).values([
        { id: 1, owner: 'a', balance: 10 },
        { id: 2, owner: 'b', balance: 20 },
      ]);
      return db.select().from(t.accounts).orderBy(t.accounts.id);
    };
    const balances = async () => (await db.select().from(t.accounts).orderBy(t.accounts.id)).map((r: any) => r.balance);

    test('a batch opens its own transaction with begin immediate … commit, rolled back on a conflict', async () => {
      const [a, b] = await seed();
      const log: string[] = [];
      const logged = d.logged(log);
      await versionedUpdateMany(logged, t.accounts, [{ target: a, changes: { balance: 1 } }]);
      assert.equal(log[0], 'begin immediate', log.join('\n'));
      assert.equal(log.at(-1), 'commit', log.join('\n'));
      await rejects(
        () =>
          versionedUpdateMany(db, t.accounts, [
            { target: { ...a, version: 2 }, changes: { balance: 2 } },
            { target: { ...b, version: 7 }, changes: { balance: 3 } },
          ]),
        RecordModifiedError,
      );
      assert.equal(await balances(), [1, 20]);
      assert.is(db.$client.inTransaction, false);
    });

    test('the caller’s synchronous db.transaction(tx => …): the write runs inside it and a throw rolls it back', async () => {
      const [a, b] = await seed();
      let written: Promise<any> | undefined;
      assert.throws(() =>
        db.transaction((tx: any) => {
          written = versionedUpdate(tx, t.accounts, a, { balance: 0 });
          void versionedDelete(tx, t.accounts, b);
          tx.update(t.accounts).set({ note: 'plain' }).where(eq(t.accounts.id, 2)).run();
          throw new Error('caller gives up');
        }),
      );
      // The statement ran (and was rolled back with the caller's transaction); the promise says what it saw.
      assert.is((await written).balance, 0);
      assert.equal(await balances(), [10, 20]);
      db.transaction((tx: any) => void (written = versionedUpdate(tx, t.accounts, b, { balance: 25 })));
      assert.is((await written).version, 2);
      assert.equal(await balances(), [10, 25]);
    });

    test('a batch given a synchronous transaction object is refused before any statement', async () => {
      const [a] = await seed();
      let batch: Promise<unknown> | undefined;
      db.transaction((tx: any) => void (batch = versionedUpdateMany(tx, t.accounts, [{ target: a, changes: { balance: 1 } }])));
      await rejects(() => batch!, ConfigurationError, /synchronous driver/);
      assert.equal(await balances(), [10, 20]);
    });

    test('inside the caller’s begin … commit: a failed batch rolls back to its savepoint, the caller’s writes stay', async () => {
      const [a, b] = await seed();
      db.run(sql`begin immediate`);
      try {
        await versionedUpdate(db, t.accounts, a, { balance: 11 });
        await rejects(() => versionedUpdateMany(db, t.accounts, [{ target: { ...b, version: 5 }, changes: { balance: 0 } }]), RecordModifiedError);
        await versionedDelete(db, t.accounts, b);
        db.run(sql`commit`);
      } catch (error) {
        db.run(sql`rollback`);
        throw error;
      }
      assert.equal(await balances(), [11]);
    });

    test('the original error surfaces when the ROLLBACK fails (the connection closed)', async () => {
      const c = await d.connect(1);
      const error = await inTransaction(
        c.db,
        async (tx: any) => {
          tx.run(sql`select 1`);
          c.db.$client.close();
          throw new Error('original');
        },
        sqliteAdapter,
      ).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      assert.is(error?.message, 'original');
      const chain: string[] = [];
      for (let e: any = error?.cause; e && chain.length < 4; e = e.cause) chain.push(String(e.message));
      assert.match(chain.join(' <- '), /rollback.*not open/s, chain.join(' <- '));
    });

    test('connections of one process take turns: batches and single writes on 6 connections, no SQLITE_BUSY', async () => {
      await db.insert(t.accounts).values(Array.from({ length: 6 }, (_, i) => ({ id: i + 1, owner: 'o', balance: 0 })));
      // One more row per writer, deleted by it (versionedDelete takes turns too).
      await db.insert(t.accounts).values(Array.from({ length: 6 }, (_, i) => ({ id: 101 + i, owner: 'd', balance: 0 })));
      const pools = await Promise.all(Array.from({ length: 6 }, () => d.connect(1)));
      // A short busy timeout: a connection blocking on another's write lock would fail at once, not after 10 s.
      for (const p of pools) p.db.$client.pragma('busy_timeout = 50');
      const started = Date.now();
      try {
        const outcomes = await Promise.allSettled(
          pools.map(async (p, w) => {
            for (let i = 0; i < 10; i++) {
              const rows = await p.db.select().from(t.accounts).orderBy(t.accounts.id);
              await versionedUpdateMany(
                p.db,
                t.accounts,
                rows.map((r: any) => ({ target: r, changes: { balance: r.balance + 1 } })),
                { policy: 'silent' },
              );
              const [mine] = await p.db.select().from(t.accounts).where(eq(t.accounts.id, w + 1));
              // Odd rounds the one-statement form ({ returning: false }), which takes turns as well.
              await versionedUpdate(p.db, t.accounts, mine, { note: `w${w}` }, i % 2 ? { returning: false } : undefined).catch((e: unknown) => {
                if (!(e instanceof RecordModifiedError)) throw e;
              });
              if (i === 5) {
                // The batches of the others move this row too: re-read and retry until the delete wins.
                for (let deleted = false; !deleted; ) {
                  const [extra] = await p.db.select().from(t.accounts).where(eq(t.accounts.id, 101 + w));
                  deleted = await versionedDelete(p.db, t.accounts, extra).then(
                    () => true,
                    (e: unknown) => {
                      if (!(e instanceof RecordModifiedError)) throw e;
                      return false;
                    },
                  );
                }
              }
            }
          }),
        );
        const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => String(o.reason?.cause?.message ?? o.reason));
        assert.equal(failures, []);
      } finally {
        for (const p of pools) await p.close();
      }
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      const rows = await db.select().from(t.accounts);
      assert.ok(rows.every((r: any) => r.id <= 6), 'every writer deleted its extra row');
      // Each applied batch increment moved the version once; the single writes moved it further.
      for (const r of rows) assert.ok(r.balance > 0 && r.version > r.balance && r.note !== null, JSON.stringify(r));
    });
  },
  { dialects: ['sqlite'] },
);
