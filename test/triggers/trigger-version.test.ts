import { eq, getTableName } from 'drizzle-orm';
import * as assert from 'uvu/assert';
import { RecordModifiedError, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { renderCreateTriggers } from '../../src/triggers/trigger-ddl.js';
import { triggerSpecFor } from '../../src/triggers/trigger-spec.js';
import { rejects } from '../support/assert-rejects.js';
import { quote } from '../support/ddl.js';
import { databaseSuites } from '../support/suite.js';

await databaseSuites(
  'trigger versions',
  (test, { db, t, d }) => {
    const q = (name: string) => quote(d.dialect, name);
    const items = q(getTableName(t.items));
    const priced = q(getTableName(t.priced));
    const item = async () => (await db.select().from(t.items).where(eq(t.items.id, 1)))[0];
    const price = async () => (await db.select().from(t.priced).where(eq(t.priced.id, 1)))[0];

    test('a raw SQL UPDATE from outside the library bumps the version by exactly 1', async () => {
      await db.insert(t.items).values({ id: 1, name: 'a', price: 1 });
      await d.exec(`update ${items} set ${q('name')} = 'raw' where ${q('id')} = 1`);
      assert.is((await item()).version, 2);
      await d.exec(`update ${items} set ${q('price')} = ${q('price')} + 1`);
      assert.is((await item()).version, 3);
    });

    test('a stale reader is refused after a raw edit; the app write returns the new version', async () => {
      await db.insert(t.items).values({ id: 1, name: 'a', price: 1 });
      const read = await item();
      await d.exec(`update ${items} set ${q('name')} = 'raw' where ${q('id')} = 1`);
      await rejects(() => versionedUpdate(db, t.items, read, { price: 5 }), RecordModifiedError, /expected version 1, found 2/);
      const saved = await versionedUpdate(db, t.items, await item(), { price: 5 });
      assert.is(saved.version, 3, 'RETURNING shows the version as stored');
      assert.equal(await item(), saved, 'the trigger did not move it a second time');
    });

    test('checkFields: only changes to the checked columns move the version, raw or app', async () => {
      await db.insert(t.priced).values({ id: 1, name: 'a', price: 10 });
      await d.exec(`update ${priced} set ${q('name')} = 'renamed' where ${q('id')} = 1`);
      assert.is((await price()).version, 1);
      await d.exec(`update ${priced} set ${q('price')} = 10 where ${q('id')} = 1`);
      assert.is((await price()).version, 1, 'same value');
      await d.exec(`update ${priced} set ${q('price')} = 11 where ${q('id')} = 1`);
      assert.is((await price()).version, 2);
      const row = await price();
      const renamed = await versionedUpdate(db, t.priced, row, { name: 'app rename' });
      assert.is(renamed.version, 2);
      const repriced = await versionedUpdate(db, t.priced, renamed, { price: 12 });
      assert.is(repriced.version, 3);
      assert.equal(await price(), repriced);
    });

    test('checkFields: a case-only change of a checked string is a change, raw or app', async () => {
      await db.insert(t.priced).values({ id: 1, name: 'a', sku: 'ab-1', price: 10 });
      await d.exec(`update ${priced} set ${q('sku')} = 'AB-1' where ${q('id')} = 1`);
      assert.is((await price()).version, 2);
      const saved = await versionedUpdate(db, t.priced, await price(), { sku: 'ab-1' });
      assert.is(saved.version, 3);
      assert.equal(await price(), saved);
    });

    test('plain Drizzle updates and batches move trigger versions exactly once', async () => {
      await db.insert(t.items).values([
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ]);
      await db.update(t.items).set({ name: 'bulk' });
      assert.equal((await db.select().from(t.items).orderBy(t.items.id)).map((r: any) => r.version), [2, 2]);
      const rows = await db.select().from(t.items).orderBy(t.items.id);
      const { updated } = await versionedUpdateMany(db, t.items, rows.map((r: any) => ({ target: r, changes: { price: 3 } })));
      assert.equal(updated.map((r) => r.version), [3, 3]);
      assert.equal((await db.select().from(t.items).orderBy(t.items.id)).map((r: any) => r.version), [3, 3]);
    });
  },
  {
    setup: async ({ d, t }) => {
      for (const table of [t.items, t.priced]) for (const statement of renderCreateTriggers(triggerSpecFor(table)!)) await d.exec(statement);
    },
  },
);
