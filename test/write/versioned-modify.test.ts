import { eq, getTableName, type Table } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import {
  ConfigurationError,
  RecordDeletedError,
  RecordModifiedError,
  configureConcurrency,
  versionedModify,
  versionedUpdate,
} from '../../src/index.js';
import { renderCreateTriggers } from '../../src/triggers/trigger-ddl.js';
import { triggerSpecFor } from '../../src/triggers/trigger-spec.js';
import { HOT_KEY_POLICY, hotKeyId, isHot, resetHotKeys, turnsGiven } from '../../src/write/hot-keys.js';
import { rejects } from '../support/assert-rejects.js';
import { quote } from '../support/ddl.js';
import { lockingReads } from '../support/locking-reads.js';
import { databaseSuites, type Context } from '../support/suite.js';

const CALLERS = 24;
const INCREMENTS = 4;

await databaseSuites(
  'versionedModify',
  (test, { d, t, db }) => {
    // Hot-key temperatures outlive a test: every test starts with every key cold.
    const it = (name: string, body: (ctx: Context) => Promise<void>) =>
      test(name, async (ctx) => {
        resetHotKeys();
        // A loaded machine must not let a key cool between two statements of one test.
        const halfLife = HOT_KEY_POLICY.halfLifeMs;
        HOT_KEY_POLICY.halfLifeMs = 60_000;
        try {
          await body(ctx);
        } finally {
          HOT_KEY_POLICY.halfLifeMs = halfLife;
        }
      });
    const account = async (id = 1) => (await db.select().from(t.accounts).where(eq(t.accounts.id, id)))[0];
    const seed = (id = 1, balance = 0) => db.insert(t.accounts).values({ id, owner: `owner ${id}`, balance });

    /**
     * A logged db; `locks()` counts the locking reads versionedModify sent since: PostgreSQL
     * `… for update of`, MySQL `… force index (primary) … for update` (the write's own read-back
     * is a `for update` without the index hint); SQLite has no row lock: there a hot key's calls
     * queue in the process, and `locks()` counts those queued runs.
     */
    const loggedDb = () => {
      const log: string[] = [];
      const logged = d.logged(log);
      let queued = turnsGiven();
      const reset = () => ((log.length = 0), (queued = turnsGiven()));
      const locks = () => (d.dialect === 'sqlite' ? turnsGiven() - queued : lockingReads(d.dialect, log));
      // MariaDB sends a write without RETURNING as one compound statement (`begin not atomic … end`).
      const compound = (q: string) => /^begin not atomic/i.test(q);
      const statements = () =>
        log.filter((q) => compound(q) || !/^(begin|commit|rollback|savepoint|release)/i.test(q)).map((q) => (compound(q) ? 'compound' : /^\w+/.exec(q)![0]));
      return { log, db: logged, locks, statements, reset };
    };

    it('a cold key is one plain read and one checked write, resolving to the stored row', async () => {
      await seed(1, 10);
      const l = loggedDb();
      const seen: unknown[] = [];
      const saved = await versionedModify(l.db, t.accounts, { id: 1 }, (row) => (seen.push(row), { balance: row.balance + 5 }));
      assert.equal(saved, { id: 1, owner: 'owner 1', balance: 15, note: null, version: 2 });
      assert.equal(await account(), saved);
      assert.equal(seen, [{ id: 1, owner: 'owner 1', balance: 10, note: null, version: 1 }]);
      // Every dialect: the plain read, then one update (MySQL: an integer change on the row just read is known without a read-back).
      assert.equal(l.statements(), ['select', 'update'], l.log.join('\n'));
      assert.is(l.locks(), 0, l.log.join('\n'));
      assert.not.ok(l.log.some((q) => /for update/i.test(q)), l.log.join('\n'));
      assert.not.ok(l.log.some((q) => /^begin(?! not atomic)/i.test(q)), `no transaction of its own\n${l.log.join('\n')}`);
      // An async fn, and extra fields in the key object are ignored. A text change is not known
      // without a read-back on MySQL: MariaDB's one compound write (its read-back locks the row it just wrote).
      l.reset();
      const again = await versionedModify(l.db, t.accounts, saved, async (row) => ({ note: `was ${row.balance}` }));
      assert.is(again.note, 'was 15');
      assert.is(again.version, 3);
      assert.equal(await account(), again);
      if (d.dialect === 'mysql' && l.log.some((q) => /^begin not atomic/i.test(q))) assert.equal(l.statements(), ['select', 'compound'], l.log.join('\n'));
      else if (d.dialect !== 'mysql') assert.equal(l.statements(), ['select', 'update'], l.log.join('\n'));
      else assert.equal(l.statements(), ['select', 'update', 'select'], l.log.join('\n'));
    });

    it('a conflict continues from error.current (no second read); locking reads start only once the key is hot', async () => {
      await seed();
      const conflicts: RecordModifiedError[] = [];
      configureConcurrency({ onConflict: (e) => void conflicts.push(e) });
      const l = loggedDb();
      const rows: any[] = [];
      // Attempt 1 of each call: another writer saves first.
      const interfere = (row: any, attempt: number) => {
        rows.push(row);
        return attempt === 1 ? versionedUpdate(db, t.accounts, row, { note: `other ${row.version}` }).then(() => {}) : undefined;
      };
      const first = await versionedModify(l.db, t.accounts, { id: 1 }, async (row, attempt) => {
        await interfere(row, attempt);
        return { balance: row.balance + 1 };
      });
      assert.is(first.balance, 1);
      assert.is(first.note, 'other 1');
      assert.is(first.version, 3);
      assert.equal(rows.map((r) => [r.version, r.note]), [[1, null], [2, 'other 1']], 'attempt 2 got error.current');
      // select, failed update, the conflict read, the retried update: never a second plain read.
      // The same on MySQL: an integer change on a row just read is known without a read-back.
      assert.equal(l.statements(), ['select', 'update', 'select', 'update'], l.log.join('\n'));
      assert.is(l.locks(), 0, `one conflict does not make a key hot\n${l.log.join('\n')}`);
      assert.is(conflicts.length, 1);
      assert.not.ok(isHot(hotKeyId(t.accounts, { id: 1 })));

      await versionedModify(l.db, t.accounts, { id: 1 }, async (row, attempt) => {
        await interfere(row, attempt);
        return { balance: row.balance + 1 };
      });
      assert.is(conflicts.length, 2);
      assert.ok(isHot(hotKeyId(t.accounts, { id: 1 })), 'two recent conflicts make it hot');
      assert.is(l.locks(), 1, `the retry after the second conflict reads with a lock\n${l.log.join('\n')}`);

      l.reset();
      const hot = await versionedModify(l.db, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
      assert.is(hot.balance, 3);
      assert.is(l.locks(), 1, l.log.join('\n'));
      // Another key of the same table stays cold.
      await seed(2);
      l.reset();
      await versionedModify(l.db, t.accounts, { id: 2 }, (row) => ({ balance: row.balance + 1 }));
      assert.is(l.locks(), 0, l.log.join('\n'));
      assert.is(conflicts.length, 2);
    });

    it(`a hot-row race: ${CALLERS} concurrent callers × ${INCREMENTS} increments on one row end at exactly the sum`, async () => {
      await seed(1, 0);
      let conflicts = 0;
      configureConcurrency({ onConflict: () => void conflicts++ });
      const pool = await d.connect(12);
      let release!: () => void;
      const barrier = new Promise<void>((resolve) => (release = resolve));
      let calls = 0;
      try {
        const caller = async (n: number) => {
          await barrier;
          for (let i = 0; i < INCREMENTS; i++) {
            await versionedModify(pool.db, t.accounts, { id: 1 }, (row) => (calls++, { balance: row.balance + n }));
          }
        };
        const callers = Array.from({ length: CALLERS }, (_, i) => caller(i + 1));
        release();
        await Promise.all(callers);
      } finally {
        await pool.close();
      }
      const sum = (INCREMENTS * CALLERS * (CALLERS + 1)) / 2;
      const row = await account();
      assert.is(row.balance, sum);
      assert.is(row.version, 1 + CALLERS * INCREMENTS);
      assert.is(calls, CALLERS * INCREMENTS + conflicts, 'fn runs once per commit plus once per conflict');
      if (d.name !== 'pg/pglite' && d.name !== 'sqlite/libsql-memory') {
        // Real pools interleave: the row conflicted, turned hot, and the rest queued on its lock.
        assert.ok(conflicts > 0, 'a real pool should interleave callers');
        assert.ok(isHot(hotKeyId(t.accounts, { id: 1 })), `the row should be hot after ${conflicts} conflicts`);
        assert.ok(conflicts < CALLERS * INCREMENTS, `locks should stop the spinning (${conflicts} conflicts)`);
      }
    });

    it('a missing or deleted row rejects with RecordDeletedError and is never retried', async () => {
      let calls = 0;
      for (const lock of ['never', 'always'] as const) {
        await rejects(() => versionedModify(db, t.accounts, { id: 1 }, () => (calls++, { balance: 1 }), { lock }), RecordDeletedError, /record deleted: "dc_accounts" \(id=1\)/);
      }
      assert.is(calls, 0, 'fn never sees a missing row');
      await seed();
      const conflicts: unknown[] = [];
      configureConcurrency({ onConflict: (e) => void conflicts.push(e) });
      const error = await rejects(
        () =>
          versionedModify(
            db,
            t.accounts,
            { id: 1 },
            async (row) => {
              calls++;
              await d.exec(`delete from ${quote(d.dialect, getTableName(t.accounts))}`);
              return { balance: row.balance + 1 };
            },
            { attempts: 5, lock: 'never' },
          ),
        RecordDeletedError,
      );
      assert.is(calls, 1);
      assert.is((error as RecordDeletedError).expectedVersion, 1);
      assert.is(conflicts.length, 1, 'onConflict observes the refused write');
      assert.is(await account(), undefined);
    });

    for (const lock of ['never', 'always'] as const) {
      it(`fn throwing rejects with its error and writes nothing (lock: '${lock}')`, async () => {
        await seed(1, 7);
        const boom = new Error('boom');
        const error = await rejects(() => versionedModify(db, t.accounts, { id: 1 }, () => { throw boom; }, { lock }));
        assert.is(error, boom);
        const asyncError = await rejects(() => versionedModify(db, t.accounts, { id: 1 }, async () => Promise.reject(boom), { lock }));
        assert.is(asyncError, boom);
        assert.equal(await account(), { id: 1, owner: 'owner 1', balance: 7, note: null, version: 1 });
        // The lock (if any) was released: another connection writes the row at once.
        const other = await d.connect(1);
        try {
          await versionedUpdate(other.db, t.accounts, { id: 1, version: 1 }, { balance: 8 });
        } finally {
          await other.close();
        }
        assert.is((await account()).balance, 8);
      });
    }

    const kinds: [string, () => Table, (row: any) => Record<string, unknown>, string][] = [
      ['integer', () => t.accounts, (row) => ({ balance: row.balance + 1 }), 'balance'],
      ['timestamp', () => t.docs, (row) => ({ body: String(Number(row.body) + 1) }), 'body'],
      ['trigger', () => t.items, (row) => ({ price: row.price + 1 }), 'price'],
      ['conditional', () => t.posts, (row) => ({ title: String(Number(row.title) + 1) }), 'title'],
    ];
    for (const [kind, tableOf, change, field] of kinds) {
      it(`${kind} versions: a conflict is answered from error.current and the version moves as the kind says`, async () => {
        const table = tableOf() as any;
        const initial = { id: 1, [field]: field === 'price' || field === 'balance' ? 0 : '0', ...(kind === 'integer' ? { owner: 'o' } : {}) };
        await db.insert(table).values(initial);
        const [before] = await db.select().from(table);
        let attempts = 0;
        const saved: any = await versionedModify(
          db,
          table,
          { id: 1 },
          async (row: any, attempt) => {
            attempts++;
            if (attempt === 1) await versionedUpdate(db, table, row, change(row) as any);
            return change(row);
          },
          { lock: 'never' },
        );
        assert.is(attempts, 2);
        assert.is(String(saved[field]), '2');
        assert.ok(saved.version > before.version, `${kind}: version moved`);
        const [stored] = await db.select().from(table);
        assert.equal(stored, saved);
        if (kind !== 'timestamp') assert.is(saved.version, before.version + 2);
        // Hot path too.
        const locked: any = await versionedModify(db, table, { id: 1 }, change as any, { lock: 'always' });
        assert.is(String(locked[field]), '3');
        assert.ok(locked.version > saved.version);
      });
    }

    it("inside a caller's transaction: no transaction or savepoint of its own, and the caller's rollback undoes it", async () => {
      // better-sqlite3: a transaction callback is synchronous and cannot await the read (README).
      if (db.resultKind === 'sync') return;
      await seed(1, 1);
      const l = loggedDb();
      await rejects(
        () =>
          l.db.transaction(async (tx: any) => {
            const saved = await versionedModify(tx, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
            assert.is(saved.balance, 2);
            const locked = await versionedModify(tx, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }), { lock: 'always' });
            assert.is(locked.balance, 3);
            throw new Error('caller rolls back');
          }),
        Error,
        /caller rolls back/,
      );
      assert.not.ok(l.log.some((q) => /savepoint/i.test(q)), l.log.join('\n'));
      // PostgreSQL / MySQL: the locking read ran in the caller's transaction; SQLite: no queue there.
      assert.is(l.locks(), d.dialect === 'sqlite' ? 0 : d.dialect === 'mysql' ? 2 : 1, l.log.join('\n'));
      assert.is((await account()).balance, 1);
      const committed = await db.transaction((tx: any) => versionedModify(tx, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 10 })));
      assert.is(committed.balance, 11);
      assert.is((await account()).balance, 11);
    });

    it("inside a caller's transaction whose snapshot is older than the row: fn sees the latest row, no conflict", async () => {
      // InnoDB REPEATABLE READ: a plain read there would show the snapshot, the write match the latest row.
      if (d.dialect === 'sqlite' || d.name === 'pg/pglite') return;
      await seed(1, 1);
      await seed(2, 1);
      let conflicts = 0;
      configureConcurrency({ onConflict: () => void conflicts++ });
      const other = await d.connect(1);
      const seen: unknown[] = [];
      try {
        const saved = await db.transaction(async (tx: any) => {
          // The caller's first read fixes its snapshot (MySQL); then another connection commits a change.
          await tx.select().from(t.accounts).where(eq(t.accounts.id, 2));
          await versionedUpdate(other.db, t.accounts, { id: 1, version: 1 }, { balance: 5 });
          return versionedModify(tx, t.accounts, { id: 1 }, (row) => (seen.push([row.balance, row.version]), { balance: row.balance + 1 }));
        });
        assert.is(saved.balance, 6);
        assert.is(saved.version, 3);
      } finally {
        await other.close();
      }
      assert.equal(seen, [[5, 2]], 'one run of fn, on the committed row');
      assert.is(conflicts, 0);
      assert.is((await account()).balance, 6);
    });

    it('attempts are bounded: the last RecordModifiedError surfaces', async () => {
      await seed();
      let calls = 0;
      const error = await rejects(
        () =>
          versionedModify(
            db,
            t.accounts,
            { id: 1 },
            async (row) => {
              calls++;
              await versionedUpdate(db, t.accounts, row, { note: `other ${calls}` });
              return { balance: row.balance + 1 };
            },
            { attempts: 3, lock: 'never', backoffMs: 0 },
          ),
        RecordModifiedError,
      );
      assert.is(calls, 3);
      assert.is((error as RecordModifiedError).expectedVersion, 3);
      assert.is((await account()).balance, 0);
    });

    it('bad options and a bad key are a ConfigurationError before any SQL', async () => {
      const l = loggedDb();
      const noop = () => ({});
      await rejects(() => versionedModify(l.db, t.accounts, { id: 1 }, noop, { attempts: 0 }), ConfigurationError, /attempts must be a positive integer/);
      await rejects(() => versionedModify(l.db, t.accounts, { id: 1 }, noop, { lock: 'bogus' as any }), ConfigurationError, /lock must be/);
      await rejects(() => versionedModify(l.db, t.accounts, { id: 1 }, noop, { backoffMs: -1 }), ConfigurationError, /backoffMs/);
      await rejects(() => versionedModify(l.db, t.accounts, { id: 1 }, noop, { retryTransient: 'yes' as any }), ConfigurationError, /retryTransient/);
      await rejects(() => versionedModify(l.db, t.accounts, {} as any, noop), ConfigurationError, /no value for primary key "id"/);
      await rejects(() => versionedModify(l.db, t.accounts, { id: 1 }, 'x' as any), ConfigurationError, /needs a function/);
      assert.equal(l.log, []);
    });
  },
  {
    setup: async ({ d, t }) => {
      for (const table of [t.items, t.priced]) for (const statement of renderCreateTriggers(triggerSpecFor(table)!)) await d.exec(statement);
    },
  },
);
