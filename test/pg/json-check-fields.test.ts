import { eq } from 'drizzle-orm';
import { integer, json, pgTable } from 'drizzle-orm/pg-core';
import * as assert from 'uvu/assert';
import { versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { conditionalVersion, triggerVersion } from '../../src/pg/index.js';
import { renderCreateTriggers, renderDropTriggers } from '../../src/triggers/trigger-ddl.js';
import { triggerSpecFor } from '../../src/triggers/trigger-spec.js';
import { tableDdl } from '../support/ddl.js';
import { databaseSuites } from '../support/suite.js';

const docs = pgTable('dc_json_docs', {
  id: integer().primaryKey(),
  meta: json().$type<Record<string, unknown>>(),
  version: conditionalVersion({ checkFields: ['meta'] }),
});

const triggered = pgTable('dc_json_triggered', {
  id: integer().primaryKey(),
  meta: json().$type<Record<string, unknown>>(),
  other: integer(),
  version: triggerVersion({ checkFields: ['meta'] }),
});

await databaseSuites(
  'conditional versions over a json column',
  (test, { d, db }) => {
    test('json has no equality operator: the change is decided on its value', async () => {
      for (const statement of tableDdl(d.dialect, docs)) await d.exec(statement);
      await db.insert(docs).values({ id: 1, meta: { a: 1 } });
      const [row] = await db.select().from(docs).where(eq(docs.id, 1));
      const same = await versionedUpdate(db, docs, row, { meta: { a: 1 } });
      assert.is(same.version, 1);
      const changed = await versionedUpdate(db, docs, same, { meta: { a: 2 } });
      assert.is(changed.version, 2);
      const { updated } = await versionedUpdateMany(db, docs, [{ target: changed, changes: { meta: { a: 3 } } }]);
      assert.is(updated[0]!.version, 3);
    });

    test('triggerVersion({ checkFields }) on a json column: the trigger migration applies and compares the json by value', async () => {
      for (const statement of tableDdl(d.dialect, triggered)) await d.exec(statement);
      const spec = triggerSpecFor(triggered)!;
      assert.equal(spec.jsonColumns, ['meta']);
      // One statement at a time, as drizzle-kit's migrator runs the generated migration.
      for (const statement of renderCreateTriggers(spec)) await d.exec(statement);
      try {
        await d.exec(`insert into dc_json_triggered (id, meta, other) values (1, '{"a": 1, "b": 2}', 0)`);
        const version = async () => Number((await db.select().from(triggered).where(eq(triggered.id, 1)))[0].version);
        await d.exec(`update dc_json_triggered set other = 1 where id = 1`);
        assert.is(await version(), 1, 'an unchecked column');
        await d.exec(`update dc_json_triggered set meta = '{"b":2,"a":1}' where id = 1`);
        assert.is(await version(), 1, 'the same json value, spelled differently');
        await d.exec(`update dc_json_triggered set meta = '{"a": 2}' where id = 1`);
        assert.is(await version(), 2, 'a changed json value');
        await d.exec(`update dc_json_triggered set meta = null where id = 1`);
        assert.is(await version(), 3, 'json to NULL');
        await db.update(triggered).set({ meta: { a: 3 } }).where(eq(triggered.id, 1));
        assert.is(await version(), 4, 'through Drizzle');
      } finally {
        for (const statement of renderDropTriggers(spec)) await d.exec(statement);
        await d.exec('drop table dc_json_triggered');
      }
    });
  },
  { dialects: ['pg'] },
);
