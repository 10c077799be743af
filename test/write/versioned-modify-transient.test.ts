/**
 * versionedModify's `retryTransient`: a real transient failure, provoked with two connections,
 * re-runs the whole read-modify-write (read included) when asked, and rejects when not.
 * PostgreSQL: a serialization failure (40001) of a REPEATABLE READ session's UPDATE that waited
 * for another transaction's update of the row. MariaDB: a lock wait timeout (1205) while another
 * transaction holds the row with `select … for update`.
 */
import { eq, sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { isTransientError, versionedModify } from '../../src/index.js';
import { resetHotKeys } from '../../src/write/hot-keys.js';
import { databaseSuites } from '../support/suite.js';

/** Rows of a raw `db.execute` on postgres.js (an array), node-postgres (`{ rows }`) or mysql2 (`[rows, fields]`). */
function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return (Array.isArray(result[0]) ? result[0] : result) as Record<string, unknown>[];
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** The error codes along `error`'s cause chain. */
function codes(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error as { code?: unknown; errno?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) out.push(e.code, e.errno);
  return out;
}

await databaseSuites(
  'versionedModify retryTransient',
  (test, { d, t, db }) => {
    // PGlite is one embedded connection: the second transaction waits for the first, nothing fails.
    if (d.name === 'pg/pglite') return;

    /** Resolves once the PostgreSQL backend `pid` waits for a row lock (at most ~10 s, then anyway). */
    const untilWaiting = async (pid: unknown) => {
      for (let i = 0; i < 1000; i++) {
        const [row] = rowsOf(await db.execute(sql`select count(*)::int as n from pg_stat_activity where pid = ${pid} and wait_event_type = 'Lock'`));
        if (Number(row?.['n']) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    /**
     * Connection `b` runs versionedModify on row 1 while connection `a` holds the row in a
     * transaction: PostgreSQL `a` updates it and commits once `b`'s UPDATE waits (40001 under
     * REPEATABLE READ); MariaDB `a` locks it until `fn`'s second run (`b` times out after 1 s).
     */
    const provoke = async (retryTransient: boolean) => {
      resetHotKeys();
      await db.insert(t.accounts).values({ id: 1, owner: 'o', balance: 0 });
      const a = await d.connect(1);
      const b = await d.connect(1);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const seen: [number, string | null, number][] = [];
      try {
        let pid: unknown;
        if (d.dialect === 'pg') {
          await b.db.execute(sql`set session characteristics as transaction isolation level repeatable read`);
          pid = rowsOf(await b.db.execute(sql`select pg_backend_pid() as pid`))[0]?.['pid'];
        } else {
          await b.db.execute(sql`set session innodb_lock_wait_timeout = 1`);
        }
        const holder = a.db.transaction(async (tx: any) => {
          if (d.dialect === 'pg') await tx.update(t.accounts).set({ note: 'a' }).where(eq(t.accounts.id, 1));
          else await tx.select().from(t.accounts).where(eq(t.accounts.id, 1)).for('update');
          holding();
          await released;
        });
        await held;
        const call = versionedModify(
          b.db,
          t.accounts,
          { id: 1 },
          (row, attempt) => {
            seen.push([attempt, row.note, row.version]);
            if (d.dialect === 'pg' && attempt === 1) void untilWaiting(pid).finally(release);
            if (d.dialect === 'mysql' && attempt === 2) release();
            return { balance: row.balance + 1 };
          },
          { retryTransient },
        );
        const outcome = await call.then(
          (row) => ({ row, error: undefined }),
          (error: unknown) => ({ row: undefined, error }),
        );
        release();
        await holder;
        const [stored] = await db.select().from(t.accounts).where(eq(t.accounts.id, 1));
        return { ...outcome, seen, stored };
      } finally {
        release();
        await a.close();
        await b.close();
      }
    };

    test('retryTransient: true re-runs the whole read-modify-write after a transient error and succeeds', async () => {
      const { row, error, seen, stored } = await provoke(true);
      assert.is(error, undefined, String(error));
      if (d.dialect === 'pg') {
        // Attempt 2 read the row again (the other transaction's note), not an error's row.
        assert.equal(seen, [[1, null, 1], [2, 'a', 2]]);
        assert.equal(row, { id: 1, owner: 'o', balance: 1, note: 'a', version: 3 });
      } else {
        assert.equal(seen, [[1, null, 1], [2, null, 1]]);
        assert.equal(row, { id: 1, owner: 'o', balance: 1, note: null, version: 2 });
      }
      assert.equal(stored, row);
    });

    test('without retryTransient the transient error rejects after one run of fn, nothing written', async () => {
      const { error, seen, stored } = await provoke(false);
      assert.ok(isTransientError(error), String(error));
      assert.ok(codes(error).some((c) => c === '40001' || c === 1205), JSON.stringify(codes(error)));
      assert.equal(seen, [[1, null, 1]]);
      assert.is(stored!.balance, 0);
      assert.is(stored!.version, d.dialect === 'pg' ? 2 : 1, 'only the other transaction wrote');
    });
  },
  { dialects: ['pg', 'mysql'] },
);
