/**
 * versionedModify on a hot key: the process's calls on the key take turns (FIFO), and each turn
 * hands the row it stored to the next, which then writes without reading. Counted through a
 * Drizzle logger on the shared pool (several connections: the calls really run concurrently
 * where the driver has a pool).
 */
import { eq } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { configureConcurrency, versionedModify, versionedUpdate, type RecordModifiedError } from '../../src/index.js';
import { HOT_KEY_POLICY, hotKeyId, isHot, isHotElsewhere, recordConflict, resetHotKeys, turnsGiven } from '../../src/write/hot-keys.js';
import { lockingReads } from '../support/locking-reads.js';
import { databaseSuites, type Context } from '../support/suite.js';

const CALLERS = 12;

await databaseSuites('versionedModify turns on a hot key', (test, { d, t, db }) => {
  const it = (name: string, body: (ctx: Context) => Promise<void>) =>
    test(name, async (ctx) => {
      resetHotKeys();
      const halfLife = HOT_KEY_POLICY.halfLifeMs;
      HOT_KEY_POLICY.halfLifeMs = 60_000;
      try {
        await body(ctx);
      } finally {
        HOT_KEY_POLICY.halfLifeMs = halfLife;
      }
    });
  const account = async (id = 1) => (await db.select().from(t.accounts).where(eq(t.accounts.id, id)))[0];
  const makeHot = (id = 1) => {
    recordConflict(hotKeyId(t.accounts, { id }));
    recordConflict(hotKeyId(t.accounts, { id }));
  };
  /**
   * The statements of `log` without transaction control (postgres.js's commit confirmation,
   * `txid_current()` / `txid_status()`, included); MariaDB's compound write as `compound`.
   */
  const statements = (log: string[]) =>
    log
      .filter((q) => /^begin not atomic/i.test(q) || !/^(begin|commit|rollback|savepoint|release|select txid_)/i.test(q))
      .map((q) => (/^begin not atomic/i.test(q) ? 'compound' : /^\w+/.exec(q)![0]));
  /** Starts `n` calls at once (a barrier) and waits for all of them. */
  const together = async <R>(n: number, call: (i: number) => Promise<R>): Promise<R[]> => {
    let open!: () => void;
    const barrier = new Promise<void>((resolve) => (open = resolve));
    const calls = Array.from({ length: n }, (_, i) => barrier.then(() => call(i)));
    open();
    return Promise.all(calls);
  };

  it(`${CALLERS} concurrent calls on a hot key: one read in all, then each writes the row the previous call stored`, async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'o', balance: 0 });
    makeHot();
    const log: string[] = [];
    const logged = d.logged(log);
    const seen: Record<string, unknown>[] = [];
    const turns = turnsGiven();
    const results = await together(CALLERS, () => versionedModify(logged, t.accounts, { id: 1 }, (row) => (seen.push(row), { balance: row.balance + 1 })));
    assert.is(turnsGiven() - turns, CALLERS, 'every call took a turn');
    assert.equal(seen.map((row) => row['version']), Array.from({ length: CALLERS }, (_, i) => i + 1), 'FIFO, each from the row the previous turn stored, no conflict');
    // The first turn reads under a lock (SQLite: a plain read in its turn); every later one writes at once.
    // MySQL: the handed row's integer change is known without a read-back, so one plain UPDATE.
    assert.equal(statements(log), ['select', ...Array<string>(CALLERS).fill('update')], log.join('\n'));
    const row = await account();
    assert.is(row.balance, CALLERS);
    assert.is(row.version, 1 + CALLERS);
    assert.equal(results.at(-1), row);
    // A handed row is a copy: no call's fn got the object another call resolved to.
    for (const result of results) assert.not.ok(seen.includes(result), 'a resolved row is never handed on as is');
  });

  it('a handed row another process changed meanwhile is a conflict; the retry reads under the lock in the same turn', async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'o', balance: 0 });
    makeHot();
    const conflicts: RecordModifiedError[] = [];
    configureConcurrency({ onConflict: (e) => void conflicts.push(e) });
    // Another process: its own pool, and a write that takes no turn.
    const other = await d.connect(1);
    try {
      const log: string[] = [];
      const logged = d.logged(log);
      const seen: [number, unknown][] = [];
      await together(6, (i) =>
        versionedModify(logged, t.accounts, { id: 1 }, async (row, attempt) => {
          seen.push([i, row.version]);
          if (i === 2 && attempt === 1) await versionedUpdate(other.db, t.accounts, row, { note: 'other process' });
          return { balance: row.balance + 1 };
        }),
      );
      assert.is(conflicts.length, 1, 'the stale handed row was refused by the version check');
      // Call 2 saw version 3, lost it to the other write (4), retried from a locked read (4) in its turn; call 3 got 5.
      assert.equal(seen, [[0, 1], [1, 2], [2, 3], [2, 4], [3, 5], [4, 6], [5, 7]]);
      const row = await account();
      assert.equal([row.balance, row.note, row.version], [6, 'other process', 8]);
      // Reads: the first turn's, the conflict's (for its error) and the retry's locked read.
      assert.is(statements(log).filter((s) => s === 'select').length, 3, log.join('\n'));
    } finally {
      await other.close();
    }
  });

  it("a key hot through this process's own calls only: turns with plain reads; conflicts with other writers bring the lock back", async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'o', balance: 0 });
    const id = hotKeyId(t.accounts, { id: 1 });
    const conflicts: RecordModifiedError[] = [];
    configureConcurrency({ onConflict: (e) => void conflicts.push(e) });
    // Twice: call A reads, then waits inside fn for call B (same process, same key) to store first; A's write conflicts on B's row.
    for (let round = 0; round < 2; round++) {
      await versionedModify(db, t.accounts, { id: 1 }, async (row, attempt) => {
        if (attempt === 1) await versionedModify(db, t.accounts, { id: 1 }, (r) => ({ balance: r.balance + 1 }));
        return { balance: row.balance + 1 };
      });
    }
    assert.is(conflicts.length, 2);
    assert.ok(isHot(id), 'two recent conflicts make the key hot');
    assert.not.ok(isHotElsewhere(id), "both rows that won were this process's own: nothing to lock against");
    let log: string[] = [];
    let turns = turnsGiven();
    const lone = await versionedModify(d.logged(log), t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
    assert.is(turnsGiven() - turns, 1, 'a hot key still takes its turn');
    assert.equal(statements(log), ['select', 'update'], log.join('\n'));
    assert.is(lockingReads(d.dialect, log), 0, `a plain read in the turn\n${log.join('\n')}`);
    assert.is(lone.balance, 5);
    // Writers outside this process's versionedModify calls (here plain versionedUpdate calls) win twice: now the turn locks.
    for (let round = 0; round < 2; round++) {
      await versionedModify(db, t.accounts, { id: 1 }, async (row, attempt) => {
        if (attempt === 1) await versionedUpdate(db, t.accounts, row, { note: `other ${round}` });
        return { balance: row.balance + 1 };
      });
    }
    assert.is(conflicts.length, 4);
    assert.ok(isHotElsewhere(id), 'rows stored by other writers heat the key elsewhere');
    log = [];
    turns = turnsGiven();
    await versionedModify(d.logged(log), t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
    assert.is(turnsGiven() - turns, 1);
    // SQLite has no row lock: its turn reads plainly either way.
    assert.is(lockingReads(d.dialect, log), d.dialect === 'sqlite' ? 0 : 1, log.join('\n'));
    const row = await account();
    assert.equal([row.balance, row.note], [8, 'other 1']);
  });

  it("no turn with lock: 'never', inside a caller's transaction, or on a cold key", async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'o', balance: 0 });
    await db.insert(t.accounts).values({ id: 2, owner: 'o', balance: 0 });
    makeHot();
    const turns = turnsGiven();
    await versionedModify(db, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }), { lock: 'never' });
    await versionedModify(db, t.accounts, { id: 2 }, (row) => ({ balance: row.balance + 1 }));
    // better-sqlite3: a transaction callback is synchronous and cannot await the read (README).
    if (d.name !== 'sqlite/better-sqlite3') {
      await db.transaction(async (tx: unknown) => {
        await versionedModify(tx as typeof db, t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
      });
    }
    assert.is(turnsGiven() - turns, 0);
    // A hot call alone in its turn hands nothing on: the next call reads again.
    const log: string[] = [];
    await versionedModify(d.logged(log), t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
    await versionedModify(d.logged(log), t.accounts, { id: 1 }, (row) => ({ balance: row.balance + 1 }));
    assert.equal(statements(log), ['select', 'update', 'select', 'update'], log.join('\n'));
    assert.is(turnsGiven() - turns, 2);
  });
});
