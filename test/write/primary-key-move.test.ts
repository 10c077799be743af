import { eq, sql } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { ConfigurationError, RecordModifiedError, versionedUpdate } from '../../src/index.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites('versionedUpdate moving the primary key', (test, { db, t, d }) => {
  test('changes that move the key resolve to the row under its new key (MySQL reads it back by the new key)', async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'a', balance: 10 });
    const [row] = await db.select().from(t.accounts);
    const moved = await versionedUpdate(db, t.accounts, row, { id: 7, balance: 11 });
    assert.equal(moved, { ...row, id: 7, balance: 11, version: 2 });
    assert.equal(await db.select().from(t.accounts), [moved]);
    await rejects(() => versionedUpdate(db, t.accounts, row, { balance: 12 }), RecordModifiedError, /record deleted/);
  });

  test('a composite key moved in part', async () => {
    await db.insert(t.memberships).values({ orgId: 1, userId: 2, role: 'member' });
    const [row] = await db.select().from(t.memberships);
    const moved = await versionedUpdate(db, t.memberships, row, { orgId: 3, role: 'owner' });
    assert.equal(moved, { orgId: 3, userId: 2, role: 'owner', version: 2 });
    assert.equal(await db.select().from(t.memberships), [moved]);
  });

  test('a key moved by an SQL expression: returned where RETURNING exists, else a ConfigurationError before any SQL', async () => {
    await db.insert(t.accounts).values({ id: 1, owner: 'a' });
    const [row] = await db.select().from(t.accounts);
    const change = { id: sql`${t.accounts.id} + 10` };
    if (d.dialect === 'mysql') {
      const log: string[] = [];
      await rejects(() => versionedUpdate(d.logged(log), t.accounts, row, change), ConfigurationError, /"dc_accounts" set primary key "id" to an SQL expression/);
      assert.equal(log, []);
      assert.equal(await db.select().from(t.accounts), [row]);
    } else {
      const moved = await versionedUpdate(db, t.accounts, row, change);
      assert.is(moved.id, 11);
      assert.equal((await db.select().from(t.accounts).where(eq(t.accounts.id, 11)))[0], moved);
    }
  });
});
