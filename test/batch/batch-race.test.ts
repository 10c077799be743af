/**
 * Concurrent overlapping batches: several connections each run many `versionedUpdateMany`
 * calls over a small hot set of rows, every batch in its own shuffled order. The batches
 * lock their rows in primary-key order and touch nothing else, so no two of them deadlock,
 * and every applied item is one increment stored (no lost update). HOT, BATCHN, COLD and
 * BATCH_RACE_MS override the sizes (hot rows, items per batch, rows no batch names, ms per test).
 */
import * as assert from 'uvu/assert';
import { versionedDeleteMany, versionedUpdateMany } from '../../src/index.js';
import { databaseSuites } from '../support/suite.js';

/** The SQLSTATE / errno of a driver error, looking through Drizzle's wrapping `cause`. */
function driverCode(error: unknown): string | number | undefined {
  for (let e: any = error; e; e = e.cause) {
    if (e.code !== undefined || e.errno !== undefined) return e.errno ?? e.code;
  }
  return undefined;
}

const isDeadlock = (error: unknown) => {
  const code = driverCode(error);
  return code === '40P01' || code === 1213;
};

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const HOT_ROWS = Number(process.env["HOT"] ?? 6);
const BATCH = Number(process.env["BATCHN"] ?? 3);
const WORKERS = 4;
const COLD_ROWS = Number(process.env["COLD"] ?? 2);
const MILLIS = Number(process.env['BATCH_RACE_MS'] ?? 2500);

await databaseSuites(
  'concurrent overlapping batches',
  (test, { d, db, t }) => {
    // PGlite is one embedded connection: its "other connections" are the same one, serialised.
    if (d.name === 'pg/pglite') return;

    test(`${WORKERS} connections, batches of ${BATCH} of ${HOT_ROWS} hot rows in shuffled orders: no deadlock, no lost update`, async () => {
      await db.insert(t.accounts).values(Array.from({ length: HOT_ROWS }, (_, i) => ({ id: i + 1, owner: 'o', balance: 0 })));
      // Rows outside the hot set that no batch names: a batch must not lock them.
      await db.insert(t.accounts).values(Array.from({ length: COLD_ROWS }, (_, i) => ({ id: 100 + i, owner: 'cold', balance: 0 })));
      const pools = await Promise.all(Array.from({ length: WORKERS }, () => d.connect(1)));
      let applied = 0;
      let batches = 0;
      let deadlocks = 0;
      const others: unknown[] = [];
      const until = Date.now() + MILLIS;
      try {
        await Promise.all(
          pools.map(async ({ db: conn }) => {
            while (Date.now() < until) {
              const rows = await conn.select().from(t.accounts);
              const hot = shuffled(rows.filter((r: any) => r.id <= HOT_ROWS)).slice(0, BATCH);
              batches++;
              try {
                const { updated } = await versionedUpdateMany(
                  conn,
                  t.accounts,
                  hot.map((r: any) => ({ target: r, changes: { balance: r.balance + 1 } })),
                  { policy: 'silent' },
                );
                applied += updated.length;
              } catch (error) {
                if (isDeadlock(error)) deadlocks++;
                else others.push(error);
              }
            }
          }),
        );
      } finally {
        await Promise.all(pools.map((p) => p.close()));
      }
      console.log(`  [${d.name}] ${batches} batches of ${BATCH} over ${HOT_ROWS} rows, ${WORKERS} connections: ${deadlocks} deadlocks, ${applied} items applied`);
      assert.equal(others, []);
      assert.is(deadlocks, 0, `${deadlocks} of ${batches} batches deadlocked`);
      const stored = await db.select().from(t.accounts);
      const hotRows = stored.filter((r: any) => r.id <= HOT_ROWS);
      assert.is(hotRows.reduce((s: number, r: any) => s + r.balance, 0), applied, 'every applied item is one stored increment');
      assert.is(hotRows.reduce((s: number, r: any) => s + r.version - 1, 0), applied, 'every applied item moved its version once');
      assert.ok(stored.filter((r: any) => r.id > HOT_ROWS).every((r: any) => r.version === 1 && r.balance === 0), 'rows outside the batches untouched');
    });

    test('overlapping batch deletes and updates in shuffled orders: no deadlock', async () => {
      const ids = Array.from({ length: HOT_ROWS }, (_, i) => i + 1);
      const pools = await Promise.all(Array.from({ length: WORKERS }, () => d.connect(1)));
      let deadlocks = 0;
      let batches = 0;
      let deleted = 0;
      const others: unknown[] = [];
      const until = Date.now() + MILLIS;
      try {
        // Rounds: the rows the last round deleted come back first, outside the race (only batches race).
        while (Date.now() < until) {
          const present = new Set((await db.select().from(t.accounts)).map((r: any) => r.id));
          const absent = ids.filter((id) => !present.has(id));
          if (absent.length > 0) await db.insert(t.accounts).values(absent.map((id) => ({ id, owner: 'o', balance: 0 })));
          await Promise.all(
            pools.map(async ({ db: conn }, w) => {
              const hot: any[] = shuffled((await conn.select().from(t.accounts)) as any[]).slice(0, BATCH);
              batches++;
              try {
                if (w % 2 === 0) deleted += (await versionedDeleteMany(conn, t.accounts, hot, { policy: 'silent' })).deleted.length;
                else await versionedUpdateMany(conn, t.accounts, hot.map((r: any) => ({ target: r, changes: { note: `w${w}` } })), { policy: 'silent' });
              } catch (error) {
                if (isDeadlock(error)) deadlocks++;
                else others.push(error);
              }
            }),
          );
        }
      } finally {
        await Promise.all(pools.map((p) => p.close()));
      }
      console.log(`  [${d.name}] ${batches} delete/update batches of ${BATCH}: ${deadlocks} deadlocks, ${deleted} rows deleted`);
      assert.equal(others, []);
      assert.is(deadlocks, 0, `${deadlocks} of ${batches} batches deadlocked`);
      assert.ok(deleted > 0);
    });
  },
  { dialects: ['pg', 'mysql'] },
);
