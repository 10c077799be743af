import { createClient } from '@libsql/client';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { mkdirSync, rmSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ConfigurationError,
  RecordModifiedError,
  isTransientError,
  retryOnConflict,
  versionedUpdate,
} from '../../src/index.js';
import { tableDdl } from '../support/ddl.js';
import { rejects } from '../support/assert-rejects.js';
import { testSchema } from '../support/schema.js';
import { databaseSuites } from '../support/suite.js';

/** Resolves every waiter once `n` have arrived. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived === n) release();
    return all;
  };
}

/** The error `call` rejects with (asserting that it rejects). */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return assert.unreachable('expected a rejection');
}

// Real transient failures, produced with two connections on each server.
await databaseSuites(
  'transient errors',
  (test, { d, t, db }) => {
    // PGlite is one embedded connection: a second transaction waits for the first, nothing races.
    if (d.name === 'pg/pglite') return;
    const seed = () =>
      db.insert(t.accounts).values([
        { id: 1, owner: 'a' },
        { id: 2, owner: 'b' },
      ]);
    const rows = async (conn: any) => conn.select().from(t.accounts).orderBy(t.accounts.id);

    /**
     * Two transactions lock rows 1 and 2 in opposite orders; their second write is a
     * versionedUpdate. One of them is the deadlock victim. `attempt` counts runs of each side.
     */
    const lockOrderDeadlock = async (wrap: (side: number, run: (attempt: number) => Promise<unknown>) => Promise<unknown>) => {
      await seed();
      const a = await d.connect(1);
      const b = await d.connect(1);
      const meet = barrier(2);
      const runs = [0, 0];
      // A retry waits until the other side has finished, so the victim's second run cannot take
      // the rows in the crossing order again and deadlock the survivor in its turn.
      const finished: Promise<unknown>[] = [];
      try {
        const side = (conn: any, i: number, first: number, second: number) =>
          wrap(i, async (attempt) => {
            runs[i]!++;
            if (attempt > 1) await finished[1 - i]!.catch(() => undefined);
            return conn.db.transaction(async (tx: any) => {
              await tx.update(t.accounts).set({ note: `side ${i}` }).where(eq(t.accounts.id, first));
              if (attempt === 1) await meet();
              const [row] = await tx.select().from(t.accounts).where(eq(t.accounts.id, second));
              return versionedUpdate(tx, t.accounts, row, { balance: sql`${t.accounts.balance} + 1` });
            });
          });
        finished.push(side(a, 0, 1, 2), side(b, 1, 2, 1));
        const results = await Promise.allSettled(finished);
        return { results, runs };
      } finally {
        await a.close();
        await b.close();
      }
    };

    test('a lock-order deadlock (PostgreSQL 40P01, MariaDB 1213) is transient; retryTransient re-runs only the victim', async () => {
      const plain = await lockOrderDeadlock((_, run) => run(1));
      const failed = plain.results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.is(failed.length, 1, 'one deadlock victim');
      const victim = failed[0]!.reason;
      assert.ok(isTransientError(victim), String(victim));
      const codes: unknown[] = [];
      for (let e = victim; e; e = (e as any).cause) codes.push((e as any).code ?? (e as any).errno);
      assert.ok(codes.some((c) => c === '40P01' || c === 'ER_LOCK_DEADLOCK'), JSON.stringify(codes));
      assert.not.ok(isTransientError(new RecordModifiedError({ table: 't', key: {}, expectedVersion: 1, current: null })));

      await db.delete(t.accounts);
      const without = await lockOrderDeadlock((_, run) => retryOnConflict(run, { attempts: 5 }));
      assert.is(without.results.filter((r) => r.status === 'rejected').length, 1, 'not retried unless asked');
      assert.equal([...without.runs].sort(), [1, 1]);

      await db.delete(t.accounts);
      const retried = await lockOrderDeadlock((_, run) => retryOnConflict(run, { attempts: 5, retryTransient: true }));
      assert.equal(retried.results.map((r) => r.status), ['fulfilled', 'fulfilled']);
      assert.equal([...retried.runs].sort(), [1, 2], 'the victim ran twice');
      // Each row: one plain update (its version still moves) and one versionedUpdate.
      assert.equal((await rows(db)).map((r: any) => [r.balance, r.version]), [[1, 3], [1, 3]]);
    });

    test('a serialization failure (PostgreSQL 40001 under REPEATABLE READ) or lock wait timeout (MariaDB 1205) is transient', async () => {
      await seed();
      const a = await d.connect(1);
      const b = await d.connect(1);
      try {
        if (d.dialect === 'pg') {
          const error = await failure(() =>
            a.db.transaction(
              async (tx: any) => {
                const [row] = await tx.select().from(t.accounts).where(eq(t.accounts.id, 1));
                await b.db.update(t.accounts).set({ note: 'other' }).where(eq(t.accounts.id, 1));
                await versionedUpdate(tx, t.accounts, row, { balance: 5 });
              },
              { isolationLevel: 'repeatable read' },
            ),
          );
          assert.ok(isTransientError(error), String(error));
          assert.is((error as any).cause?.code, '40001');
        } else {
          await b.db.execute(sql`set session innodb_lock_wait_timeout = 1`);
          const [row] = await rows(b.db);
          let error: unknown;
          await a.db.transaction(async (tx: any) => {
            await tx.update(t.accounts).set({ note: 'holds the lock' }).where(eq(t.accounts.id, 1));
            error = await failure(() => versionedUpdate(b.db, t.accounts, row, { balance: 5 }));
          });
          assert.ok(isTransientError(error), String(error));
          assert.is((error as any).cause?.errno, 1205);
          // MariaDB sends the write as one compound statement (`begin not atomic … update … end`), MySQL the UPDATE alone.
          assert.match(String((error as any).message), /^Failed query: (update|begin not atomic .* update )/, 'the UPDATE’s own error, not the rollback’s');
        }
      } finally {
        await a.close();
        await b.close();
      }
      const unique = await failure(() => db.insert(t.accounts).values({ id: 1, owner: 'dup' }));
      assert.not.ok(isTransientError(unique), 'a unique violation is not transient');
    });

    test('MySQL: when the connection dies under the write, its own transaction surfaces the UPDATE’s error, not the failed rollback’s', async () => {
      if (d.dialect !== 'mysql') return;
      await seed();
      const a = await d.connect(1);
      const b = await d.connect(1);
      try {
        const [[{ id }]] = await b.db.execute(sql`select connection_id() as id`);
        const [row] = await rows(b.db);
        let error: unknown;
        await a.db.transaction(async (tx: any) => {
          await tx.update(t.accounts).set({ note: 'holds the lock' }).where(eq(t.accounts.id, 1));
          const waiting = failure(() => versionedUpdate(b.db, t.accounts, row, { balance: 5 }));
          await new Promise((resolve) => setTimeout(resolve, 200));
          await db.execute(sql.raw(`kill ${Number(id)}`));
          error = await waiting;
        });
        assert.match(String((error as Error).message), /^Failed query: (update|begin not atomic .* update )/, String(error));
      } finally {
        await a.close();
        await b.close().catch(() => {});
      }
    });
  },
  { dialects: ['pg', 'mysql'] },
);

await databaseSuites(
  'transient errors',
  (test, { d }) => {
    test('SQLITE_BUSY from a second libSQL file client is transient; retryTransient waits it out', async () => {
      if (d.name !== 'sqlite/libsql-file') return; // two clients of one file; the file suite runs it
      const dir = new URL('../../.tmp/', import.meta.url).pathname;
      mkdirSync(dir, { recursive: true });
      const file = `${dir}busy-${process.pid}.db`;
      const clients = [0, 1].map(() => createClient({ url: `file:${file}` }));
      try {
        for (const c of clients) await c.execute('pragma busy_timeout = 0');
        const [a, b] = clients.map((c) => drizzleLibsql(c)) as [any, any];
        const t = testSchema('sqlite', 'busy_');
        for (const s of tableDdl('sqlite', t.accounts)) await clients[0]!.execute(s);
        await a.insert(t.accounts).values([
          { id: 1, owner: 'a' },
          { id: 2, owner: 'b' },
        ]);
        const [row] = await b.select().from(t.accounts).where(eq(t.accounts.id, 1));
        let calls = 0;
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const holder = a.transaction(async (tx: any) => {
          // SQLite locks the whole database: a write to another row holds off every other writer.
          await tx.update(t.accounts).set({ note: 'holds the write lock' }).where(eq(t.accounts.id, 2));
          await released;
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        const error = await failure(() => versionedUpdate(b, t.accounts, row, { balance: 1 }));
        assert.ok(isTransientError(error), String(error));
        assert.match(String((error as any).cause?.code), /^SQLITE_BUSY/);
        await rejects(() => retryOnConflict(() => (calls++, versionedUpdate(b, t.accounts, row, { balance: 1 })), { attempts: 2 }));
        assert.is(calls, 1, 'not retried unless asked');
        calls = 0;
        setTimeout(release, 30);
        const saved = await retryOnConflict(() => (calls++, versionedUpdate(b, t.accounts, row, { balance: 1 })), {
          attempts: 50,
          backoffMs: () => 10,
          retryTransient: true,
        });
        await holder;
        assert.ok(calls > 1, `retried ${calls} times`);
        assert.is(saved.balance, 1);
        assert.is(saved.version, 2);
        assert.equal(d.dialect, 'sqlite');
      } finally {
        for (const c of clients) c.close();
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
      }
    });
  },
  { dialects: ['sqlite'] },
);

{
  const test = suite('retryOnConflict options and the transient predicate');
    for (const [label, options] of [
      ['attempts NaN', { attempts: Number.NaN }],
      ['attempts 0', { attempts: 0 }],
      ['attempts -1', { attempts: -1 }],
      ['attempts 1.5', { attempts: 1.5 }],
      ['attempts "3"', { attempts: '3' }],
      ['backoffMs -1', { backoffMs: -1 }],
      ['backoffMs NaN', { backoffMs: Number.NaN }],
      ['retryTransient "yes"', { retryTransient: 'yes' }],
      ['null options', null],
    ] as const) {
      test(`${label} is a ConfigurationError naming the option, before fn runs`, async () => {
        let ran = false;
        const error = await rejects(() => retryOnConflict(async () => (ran = true), options as any), ConfigurationError, /^retryOnConflict /);
        assert.match(error.message, label === 'null options' ? /options must be an object/ : new RegExp(label.split(' ')[0]!));
        assert.is(ran, false);
      });
    }
    test('a cause chain is followed, cycles included; plain errors are not transient', () => {
      const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      assert.ok(isTransientError(new Error('wrapped', { cause: new Error('again', { cause: busy }) })));
      const loop: any = new Error('loop');
      loop.cause = loop;
      assert.not.ok(isTransientError(loop));
      for (const value of [undefined, null, 'SQLITE_BUSY', 40001, new Error('x')]) assert.not.ok(isTransientError(value));
    });
  test.run();
}
