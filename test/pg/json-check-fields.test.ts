import { eq } from 'drizzle-orm';
import { integer, json, pgTable } from 'drizzle-orm/pg-core';
import * as assert from 'uvu/assert';
import { versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { conditionalVersion } from '../../src/pg/index.js';
import { tableDdl } from '../support/ddl.js';
import { databaseSuites } from '../support/suite.js';

const docs = pgTable('dc_json_docs', {
  id: integer().primaryKey(),
  meta: json().$type<Record<string, unknown>>(),
  version: conditionalVersion({ checkFields: ['meta'] }),
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
  },
  { dialects: ['pg'] },
);
