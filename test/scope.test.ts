import * as assert from 'uvu/assert';
import { RecordModifiedError, disableConcurrency, disableIncrement, versionedUpdate } from '../src/index.js';
import { rejects } from './support/assert-rejects.js';
import { databaseSuites } from './support/suite.js';

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
});
