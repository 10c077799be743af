/**
 * A batch whose connection dies mid-statement: Drizzle's ROLLBACK then fails too, and its
 * error must not replace the original one. The batch blocks on a row another connection
 * holds; a third one kills its backend (PostgreSQL `pg_terminate_backend`, MariaDB `KILL`).
 */
import { eq, sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { versionedUpdateMany } from '../../src/index.js';
import { databaseSuites } from '../support/suite.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Error messages along the cause chain. */
function messages(error: unknown): string[] {
  const out: string[] = [];
  for (let e: any = error; e && out.length < 5; e = e.cause) out.push(String(e.message ?? e));
  return out;
}

await databaseSuites(
  'a batch whose connection is killed',
  (test, { d, db, t }) => {
    // PGlite is one embedded connection. postgres.js (3.4) writes the ROLLBACK after the kill from a
    // setImmediate onto a null socket: an uncaught TypeError, and the batch never settles (upstream bug).
    if (d.name === 'pg/pglite' || d.name === 'pg/postgres-js') return;
    // Kills the connections waiting on a row lock in this database; how many it killed.
    const killWaiters = async (): Promise<number> => {
      if (d.dialect === 'pg') {
        const result: any = await db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        );
        return (result.rows ?? result).length;
      }
      const [rows]: any = await db.execute(
        sql`select id from information_schema.processlist where db = database() and info like 'select%for update' and id <> connection_id()`,
      );
      for (const { id } of rows) await db.execute(sql.raw(`kill ${Number(id)}`));
      return rows.length;
    };

    test('the original error surfaces, not the failed ROLLBACK', async () => {
      await db.insert(t.accounts).values([1, 2, 3].map((id) => ({ id, owner: 'o', balance: 0 })));
      const rows = await db.select().from(t.accounts).orderBy(t.accounts.id);
      const holder = await d.connect(1);
      const victim = await d.connect(1);
      // node-postgres: the killed client's pool re-emits its socket error; nothing to do with it here.
      victim.db.$client.on?.('connect', (client: any) => client.on('error', () => {}));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = holder.db.transaction(async (tx: any) => {
        await tx.select().from(t.accounts).where(eq(t.accounts.id, 2)).for('update');
        locked();
        await held;
      });
      try {
        await isLocked;
        let settled = false;
        const outcome = versionedUpdateMany(victim.db, t.accounts, rows.map((r: any) => ({ target: r, changes: { balance: 1 } }))).then(
          () => undefined,
          (error: unknown) => error,
        );
        void outcome.then(() => (settled = true));
        let killed = 0;
        for (let i = 0; i < 100 && !settled && killed === 0; i++) {
          await pause(30);
          killed += await killWaiters();
        }
        assert.ok(killed > 0, 'the batch was waiting on the held row and was killed');
        const error = await outcome;
        assert.instance(error, Error);
        const chain = messages(error).join(' <- ');
        // The locking read's own failure (the killed connection), never the ROLLBACK's
        // ("not queryable", "closed state", "Connection terminated" of the rollback).
        assert.match(messages(error)[0]!, /^Failed query: select .* for update/, `surfaced: ${chain}`);
        if (d.dialect === 'pg') assert.match(chain, /terminating connection due to administrator command/, `surfaced: ${chain}`);
      } finally {
        release();
        await holding.catch(() => {});
        await holder.close();
        await victim.close().catch(() => {});
      }
      assert.equal((await db.select().from(t.accounts).orderBy(t.accounts.id)).map((r: any) => r.balance), [0, 0, 0]);
    });
  },
  { dialects: ['pg', 'mysql'] },
);
