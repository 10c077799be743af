import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import * as assert from 'uvu/assert';
import { ConfigurationError, RecordModifiedError, disableConcurrency, disableIncrement, versionedUpdate } from '../../src/index.js';
import { rejects, throwsError } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('scopes', (test, { db, t }) => {
  const seed = async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'a' });
    await db.insert(t.memberships).values({ orgId: 1, userId: 1, role: 'r' });
    return {
      account: (await db.select().from(t.accounts))[0]!,
      member: (await db.select().from(t.memberships))[0]!,
    };
  };

  test('disableConcurrency(fn): stale writes land inside, versions still move; checks return after', async () => {
    const { account } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    const result = await disableConcurrency(async () => {
      const saved = await versionedUpdate(db, t.accounts, account, { balance: 2 });
      assert.is(saved.version, 3);
      return 'fn result';
    });
    assert.is(result, 'fn result');
    await rejects(() => versionedUpdate(db, t.accounts, account, { balance: 3 }), RecordModifiedError);
  });

  test('disableConcurrency(table, fn) covers that table only; nesting adds tables', async () => {
    const { account, member } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    await versionedUpdate(db, t.memberships, member, { role: 'x' });
    await disableConcurrency(t.accounts, async () => {
      await versionedUpdate(db, t.accounts, account, { balance: 2 });
      await rejects(() => versionedUpdate(db, t.memberships, member, { role: 'y' }), RecordModifiedError);
      await disableConcurrency([t.memberships], async () => {
        await versionedUpdate(db, t.memberships, member, { role: 'z' });
        await versionedUpdate(db, t.accounts, account, { balance: 3 });
      });
      await rejects(() => versionedUpdate(db, t.memberships, member, { role: 'w' }), RecordModifiedError);
    });
  });

  test('two concurrent async flows never see each other’s scope', async () => {
    const { account } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    let release!: () => void;
    const barrier = new Promise<void>((r) => (release = r));
    let insideEntered!: () => void;
    const entered = new Promise<void>((r) => (insideEntered = r));
    const disabled = disableConcurrency(async () => {
      insideEntered();
      await barrier;
      return versionedUpdate(db, t.accounts, account, { note: 'inside' });
    });
    await entered; // the other flow now runs while the scope above is open
    await rejects(() => versionedUpdate(db, t.accounts, account, { note: 'outside' }), RecordModifiedError);
    release();
    const saved = await disabled;
    assert.is(saved.note, 'inside');
  });

  test('disableIncrement: shadow writes are checked but keep the version', async () => {
    const { account } = await seed();
    const saved = await disableIncrement(() => versionedUpdate(db, t.accounts, account, { note: 'seen' }));
    assert.is(saved.version, 1);
    assert.is(saved.note, 'seen');
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    await rejects(() => disableIncrement(t.accounts, () => versionedUpdate(db, t.accounts, account, { note: 'stale' })), RecordModifiedError);
    const perCall = await versionedUpdate(db, t.accounts, { ...account, version: 2 }, { note: 'x' }, { increment: false });
    assert.is(perCall.version, 2);
  });

  test('disableIncrement has no effect on trigger versions', async () => {
    await db.insert(t.items).values({ id: 1, name: 'a' });
    const [row] = await db.select().from(t.items);
    const saved = await disableIncrement(() => versionedUpdate(db, t.items, row, { name: 'b' }));
    assert.is(saved.version, 2);
  });

  test('a timer created inside disableConcurrency that fires after the scope ended is checked again', async () => {
    const { account } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    let later!: Promise<unknown>;
    const fired = new Promise<void>((resolve) => {
      disableConcurrency(() => {
        setTimeout(() => {
          later = versionedUpdate(db, t.accounts, account, { note: 'from the timer' });
          later.catch(() => {});
          resolve();
        }, 20);
      });
    });
    await fired;
    await rejects(() => later, RecordModifiedError);
    const [row] = await db.select().from(t.accounts);
    assert.is(row.note, null);
  });

  test('a listener fired inside the scope but writing after it ended is checked; one writing inside it is not', async () => {
    const { account } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    const events = new EventEmitter();
    const writes: Promise<unknown>[] = [];
    events.on('saved', (note: string, wait: boolean) => {
      const write = (async () => {
        if (wait) await sleep(20);
        return versionedUpdate(db, t.accounts, { ...account }, { note });
      })();
      write.catch(() => {});
      writes.push(write);
    });
    await disableConcurrency(async () => {
      events.emit('saved', 'inside', false);
      await writes[0];
      events.emit('saved', 'later', true);
    });
    const inside = (await writes[0]) as { note: string };
    assert.is(inside.note, 'inside');
    await rejects(() => writes[1]!, RecordModifiedError);
  });

  test('a shared flusher started inside one request’s scope checks the writes of other requests', async () => {
    const { account } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    // A write-behind queue shared by every request: its timer is created by whichever request enqueues first.
    const queue: (() => Promise<unknown>)[] = [];
    const results: PromiseSettledResult<unknown>[] = [];
    let timer: Promise<void> | undefined;
    const enqueue = (write: () => Promise<unknown>) => {
      queue.push(write);
      timer ??= new Promise<void>((resolve) =>
        setTimeout(async () => {
          results.push(...(await Promise.allSettled(queue.splice(0).map((w) => w()))));
          resolve();
        }, 30),
      );
    };
    // Request A: an admin repair inside disableConcurrency, enqueuing nothing stale.
    await disableConcurrency(async () => enqueue(async () => 'audit line'));
    // Request B, outside any scope: a stale write through the same flusher.
    enqueue(() => versionedUpdate(db, t.accounts, account, { note: 'stale from B' }));
    await timer;
    assert.is(results.length, 2);
    assert.is(results[1]!.status, 'rejected');
    assert.instance((results[1] as PromiseRejectedResult).reason, RecordModifiedError);
  });

  test('a timer of a closed inner scope still sees the open outer scope', async () => {
    const { account, member } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    await versionedUpdate(db, t.memberships, member, { role: 'x' });
    await disableConcurrency(t.accounts, async () => {
      let fired!: () => void;
      const done = new Promise<void>((r) => (fired = r));
      const outcomes: Promise<unknown>[] = [];
      disableConcurrency(t.memberships, () => {
        setTimeout(() => {
          outcomes.push(versionedUpdate(db, t.accounts, account, { note: 'outer open' }));
          outcomes.push(versionedUpdate(db, t.memberships, member, { role: 'inner closed' }));
          outcomes.forEach((o) => o.catch(() => {}));
          fired();
        }, 10);
      });
      await done;
      const saved = (await outcomes[0]) as { note: string };
      assert.is(saved.note, 'outer open');
      await rejects(() => outcomes[1]!, RecordModifiedError);
    });
  });

  test('a scope whose fn throws closes too', async () => {
    const { account } = await seed();
    await versionedUpdate(db, t.accounts, account, { balance: 1 });
    let later!: Promise<unknown>;
    const fired = new Promise<void>((resolve) => {
      try {
        disableConcurrency(() => {
          setTimeout(() => {
            later = versionedUpdate(db, t.accounts, account, { note: 'x' });
            later.catch(() => {});
            resolve();
          }, 10);
          throw new Error('boom');
        });
      } catch {
        /* expected */
      }
    });
    await fired;
    await rejects(() => later, RecordModifiedError);
    await rejects(() => disableIncrement(async () => Promise.reject(new Error('async boom'))), Error, /async boom/);
  });

  test('bad arguments are ConfigurationErrors naming what was passed; fn is not run', () => {
    let ran = false;
    const fn = () => void (ran = true);
    const call = (f: any, ...args: any[]) => () => f(...args);
    throwsError(call(disableConcurrency, 'accounts', fn), ConfigurationError, /disableConcurrency\(tables, fn\): the first argument must be a Drizzle table, got "accounts"/);
    throwsError(call(disableConcurrency, undefined, fn), ConfigurationError, /got undefined/);
    throwsError(call(disableConcurrency, [t.accounts, null], fn), ConfigurationError, /tables\[1\] must be a Drizzle table, got null/);
    throwsError(call(disableConcurrency), ConfigurationError, /takes \(fn\) or \(tables, fn\), got 0 arguments/);
    throwsError(call(disableConcurrency, t.accounts), ConfigurationError, /fn must be a function, got an object of class/);
    throwsError(call(disableIncrement, 'name', fn), ConfigurationError, /disableIncrement\(tables, fn\): the first argument must be a Drizzle table, got "name"/);
    throwsError(call(disableIncrement, undefined, fn), ConfigurationError, /got undefined/);
    throwsError(call(disableIncrement, fn, fn), ConfigurationError, /got a function/);
    assert.is(ran, false);
  });
});
