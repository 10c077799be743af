import { eq } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { RecordModifiedError, isTransientError, versionedUpdate } from '../../src/index.js';
import { databaseSuites } from '../support/suite.js';

const WRITERS = 8;
const CALLS = 40;

// MySQL has no UPDATE … RETURNING: the row is read back after the write. Concurrent writers and
// a deleter run between the two statements here; every resolved row must be exactly the one
// this call wrote, and a write that committed must never be reported as a conflict. An AFTER
// UPDATE trigger logs each committed marker in the writing transaction, so the log holds
// exactly the writes that committed.
await databaseSuites(
  'MySQL read-back under concurrent writers and a deleter',
  (test, { d, t, db }) => {
    test(`${WRITERS} writers × ${CALLS} calls on 2 hot rows, one deleter: each resolved row is this call's write`, async () => {
      await d.exec('drop table if exists dc_write_log');
      await d.exec('create table dc_write_log (marker varchar(100) not null)');
      await d.exec('drop trigger if exists dc_log_writes');
      await d.exec('create trigger dc_log_writes after update on dc_accounts for each row insert into dc_write_log values (NEW.note)');
      try {
        await db.insert(t.accounts).values([
          { id: 1, owner: 'hot', balance: 0 },
          { id: 2, owner: 'hot', balance: 0 },
        ]);
        const pool = await d.connect(WRITERS + 1);
        const resolved: string[] = [];
        const conflicted: string[] = [];
        const transient: string[] = [];
        const wrong: string[] = [];
        let running = WRITERS;
        let deletes = 0;
        try {
          const writer = async (w: number) => {
            for (let i = 0; i < CALLS; i++) {
              const id = 1 + ((w + i) % 2);
              const [row] = await pool.db.select().from(t.accounts).where(eq(t.accounts.id, id));
              if (!row) continue;
              const marker = `w${w}-${i}`;
              try {
                const saved = await versionedUpdate(pool.db, t.accounts, row, { note: marker, balance: row.balance + 1 });
                resolved.push(marker);
                if (saved.note !== marker || saved.version !== row.version + 1 || saved.id !== id) {
                  wrong.push(`${marker}: got note ${saved.note} version ${saved.version}, wrote version ${row.version + 1}`);
                }
              } catch (error) {
                // A deadlock between a writer and the deleter's re-insert is a documented transient error: rolled back.
                if (isTransientError(error)) transient.push(marker);
                else if (error instanceof RecordModifiedError) conflicted.push(marker);
                else throw error;
              }
            }
          };
          const deleter = async () => {
            while (running > 0) {
              const id = 1 + (deletes % 2);
              await pool.db.delete(t.accounts).where(eq(t.accounts.id, id));
              await pool.db.insert(t.accounts).values({ id, owner: 'again', balance: 0 });
              deletes++;
              await new Promise((resolve) => setTimeout(resolve, 3));
            }
          };
          await Promise.all([
            deleter(),
            ...Array.from({ length: WRITERS }, async (_, w) => {
              try {
                await writer(w);
              } finally {
                running--;
              }
            }),
          ]);
        } finally {
          await pool.close();
        }
        const logged = new Set((await db.execute('select marker from dc_write_log'))[0].map((r: any) => r.marker));
        const lostReports = [...conflicted, ...transient].filter((m) => logged.has(m));
        const unlogged = resolved.filter((m) => !logged.has(m));
        if (process.env['RACE_COUNTS']) {
          console.log(`  read-back race: ${resolved.length} resolved, ${conflicted.length} conflicts, ${transient.length} transient errors, ${deletes} deletes, ${wrong.length} wrong rows, ${lostReports.length} committed writes reported as conflicts`);
        }
        assert.equal(wrong.slice(0, 5), [], `${wrong.length} resolved rows were not this call's write`);
        assert.equal(lostReports, [], 'committed writes reported as conflicts or failures');
        assert.equal(unlogged, [], 'resolved writes that never committed');
        assert.ok(conflicted.length > 0 && deletes > 0, 'writers and the deleter interleaved');
      } finally {
        await d.exec('drop trigger if exists dc_log_writes');
        await d.exec('drop table if exists dc_write_log');
      }
    });
  },
  { dialects: ['mysql'] },
);
