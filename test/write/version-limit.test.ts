import * as assert from 'uvu/assert';
import { VersionError, disableIncrement, isChanged, versionedDelete, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('a version at its column’s maximum', (test, { d, db, t }) => {
  /** Largest value of the 32-bit `integer` / `int` version column; SQLite's integer is 64-bit, capped at JS's exact integers. */
  const intMax = d.dialect === 'sqlite' ? Number.MAX_SAFE_INTEGER : 2 ** 31 - 1;

  test('an integer version at its limit: the update is a VersionError before any SQL; delete, shadow writes and isChanged still work', async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'a', version: intMax });
    const [row] = await db.select().from(t.accounts);
    const log: string[] = [];
    const logged = d.logged(log);
    const error = await rejects(
      () => versionedUpdate(logged, t.accounts, row, { balance: 1 }),
      VersionError,
      new RegExp(`version of "dc_accounts" \\(id=1\\) is ${intMax}, the largest its column "version" \\((integer|int)\\) holds`),
    );
    assert.is((error as VersionError).value, intMax);
    await rejects(() => versionedUpdate(logged, t.accounts, row, {}), VersionError);
    await rejects(() => versionedUpdateMany(logged, t.accounts, [{ target: row, changes: { balance: 1 } }]), VersionError);
    assert.equal(log, []);
    const shadow = await disableIncrement(() => versionedUpdate(db, t.accounts, row, { note: 'kept' }));
    assert.is(shadow.version, intMax);
    assert.is(await isChanged(db, t.accounts, row), false);
    await versionedDelete(db, t.accounts, row);
    assert.equal(await db.select().from(t.accounts), []);
  });

  test('one below the limit still moves to the limit', async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'a', version: intMax - 1 });
    const [row] = await db.select().from(t.accounts);
    const saved = await versionedUpdate(db, t.accounts, row, { balance: 1 });
    assert.is(saved.version, intMax);
  });

  test('a timestamp version at 2^53 - 1 is a VersionError, not a bigint no later write can send', async () => {
    await db.insert(t.docs).values({ id: 1, body: 'a', version: Number.MAX_SAFE_INTEGER });
    const [row] = await db.select().from(t.docs);
    assert.is(row.version, Number.MAX_SAFE_INTEGER);
    await rejects(() => versionedUpdate(db, t.docs, row, { body: 'b' }), VersionError, /is 9007199254740991, the largest its column "version"/);
    const [after] = await db.select().from(t.docs);
    assert.is(after.body, 'a');
  });
});
