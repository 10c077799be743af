import { eq } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { RecordDeletedError, RecordModifiedError, VersionError, isChanged, versionedDelete, versionedUpdate } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('versionedDelete and isChanged', (test, { db, t }) => {
  const seed = async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'a' });
    return (await db.select().from(t.accounts))[0]!;
  };
  const count = async () => (await db.select().from(t.accounts)).length;

  test('a fresh delete removes the row', async () => {
    const row = await seed();
    await versionedDelete(db, t.accounts, row);
    assert.is(await count(), 0);
  });

  test('a stale delete is refused with the current row, and the row survives', async () => {
    const row = await seed();
    await versionedUpdate(db, t.accounts, row, { balance: 3 });
    const err = (await rejects(() => versionedDelete(db, t.accounts, row), RecordModifiedError)) as RecordModifiedError;
    assert.not.instance(err, RecordDeletedError);
    assert.is((err.current as any).balance, 3);
    assert.is(await count(), 1);
  });

  test('deleting a row that is gone is RecordDeletedError', async () => {
    const row = await seed();
    await versionedDelete(db, t.accounts, row);
    await rejects(() => versionedDelete(db, t.accounts, row), RecordDeletedError, /record deleted: "dc_accounts" \(id=1\)/);
  });

  test('a malformed version deletes nothing', async () => {
    await seed();
    await rejects(() => versionedDelete(db, t.accounts, { id: 1, version: '1' as never }), VersionError);
    await rejects(() => versionedDelete(db, t.accounts, { id: 1 } as never), VersionError);
    assert.is(await count(), 1);
  });

  test('check: false deletes whatever the version', async () => {
    const row = await seed();
    await versionedUpdate(db, t.accounts, row, { balance: 3 });
    await versionedDelete(db, t.accounts, row, { check: false });
    assert.is(await count(), 0);
  });

  test('isChanged: false while current, true after a write or a delete', async () => {
    const row = await seed();
    assert.is(await isChanged(db, t.accounts, row), false);
    await db.update(t.accounts).set({ balance: 9 }).where(eq(t.accounts.id, 1));
    assert.is(await isChanged(db, t.accounts, row), true);
    const [fresh] = await db.select().from(t.accounts);
    assert.is(await isChanged(db, t.accounts, fresh), false);
    await db.delete(t.accounts);
    assert.is(await isChanged(db, t.accounts, fresh), true);
    await rejects(() => isChanged(db, t.accounts, { id: 1 } as never), VersionError);
  });
});
