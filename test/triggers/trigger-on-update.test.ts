import { eq, type Table } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import * as assert from 'uvu/assert';
import { versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import { renderCreateTriggers } from '../../src/triggers/trigger-ddl.js';
import { triggerSpecFor } from '../../src/triggers/trigger-spec.js';
import type { Dialect } from '../support/databases.js';
import { quote, tableDdl } from '../support/ddl.js';
import { databaseSuites } from '../support/suite.js';

let tick = 100;
const nextTick = () => ++tick;

/** A trigger version watching a column that Drizzle's `$onUpdate` sets on every write, and a conditional twin. */
function tables(dialect: Dialect) {
  if (dialect === 'pg') {
    return {
      triggered: pgc.pgTable('dc_ou_triggered', {
        id: pgc.integer().primaryKey(),
        label: pgc.varchar({ length: 20 }),
        touchedAt: pgc.integer('touched_at').notNull().default(1).$onUpdateFn(nextTick),
        version: pgv.triggerVersion({ checkFields: ['touchedAt'] }),
      }),
      conditional: pgc.pgTable('dc_ou_conditional', {
        id: pgc.integer().primaryKey(),
        label: pgc.varchar({ length: 20 }),
        touchedAt: pgc.integer('touched_at').notNull().default(1).$onUpdateFn(nextTick),
        version: pgv.conditionalVersion({ checkFields: ['touchedAt'] }),
      }),
    };
  }
  if (dialect === 'mysql') {
    return {
      triggered: my.mysqlTable('dc_ou_triggered', {
        id: my.int().primaryKey(),
        label: my.varchar({ length: 20 }),
        touchedAt: my.int('touched_at').notNull().default(1).$onUpdateFn(nextTick),
        version: myv.triggerVersion({ checkFields: ['touchedAt'] }),
      }),
      conditional: my.mysqlTable('dc_ou_conditional', {
        id: my.int().primaryKey(),
        label: my.varchar({ length: 20 }),
        touchedAt: my.int('touched_at').notNull().default(1).$onUpdateFn(nextTick),
        version: myv.conditionalVersion({ checkFields: ['touchedAt'] }),
      }),
    };
  }
  return {
    triggered: lite.sqliteTable('dc_ou_triggered', {
      id: lite.integer().primaryKey(),
      label: lite.text(),
      touchedAt: lite.integer('touched_at').notNull().default(1).$onUpdateFn(nextTick),
      version: litev.triggerVersion({ checkFields: ['touchedAt'] }),
    }),
    conditional: lite.sqliteTable('dc_ou_conditional', {
      id: lite.integer().primaryKey(),
      label: lite.text(),
      touchedAt: lite.integer('touched_at').notNull().default(1).$onUpdateFn(nextTick),
      version: litev.conditionalVersion({ checkFields: ['touchedAt'] }),
    }),
  };
}

await databaseSuites(
  '$onUpdate columns watched by the version',
  (test, ctx) => {
    const byId = async (table: Table) => (await ctx.db.select().from(table).where(eq((table as any).id, 1)))[0];

    test('triggerVersion({ checkFields }) naming an $onUpdate column: the resolved version is the stored one, the next write is no conflict', async () => {
      const { triggered } = (ctx as any).own as ReturnType<typeof tables>;
      await ctx.db.insert(triggered).values({ id: 1, label: 'a' });
      const row = await byId(triggered);
      const saved = await versionedUpdate(ctx.db, triggered, row, { label: 'b' });
      assert.is(saved.version, 2);
      assert.equal(await byId(triggered), saved, 'the trigger did not move the version after RETURNING');
      const again = await versionedUpdate(ctx.db, triggered, saved, { label: 'c' });
      assert.is(again.version, 3);
      assert.equal(await byId(triggered), again);
      const q = (n: string) => quote(ctx.d.dialect, n);
      await ctx.d.exec(`update ${q('dc_ou_triggered')} set ${q('touched_at')} = 5 where ${q('id')} = 1`);
      assert.is((await byId(triggered)).version, 4, 'the trigger still bumps raw writes of the watched column');
    });

    test('conditionalVersion({ checkFields }) naming an $onUpdate column: a write that changes it moves the version', async () => {
      const { conditional } = (ctx as any).own;
      await ctx.db.insert(conditional).values({ id: 1, label: 'a' });
      const row = await byId(conditional);
      const saved = await versionedUpdate(ctx.db, conditional, row, { label: 'b' });
      assert.is(saved.version, 2);
      assert.equal(await byId(conditional), saved);
    });

    test('batches: an $onUpdate column watched by a trigger or conditional version moves it in the batch statement', async () => {
      const { triggered, conditional } = (ctx as any).own as ReturnType<typeof tables>;
      for (const table of [triggered, conditional] as Table[]) {
        await ctx.db.insert(table).values([{ id: 1, label: 'a' }, { id: 2, label: 'a' }]);
        const rows = await ctx.db.select().from(table);
        const { updated } = await versionedUpdateMany(ctx.db, table, rows.map((target: any) => ({ target, changes: { label: 'b' } })));
        for (const row of updated as any[]) {
          assert.is(row.version, 2, `${(table as any)[Symbol.for('drizzle:Name')]}: the batch moved the version`);
          assert.equal((await ctx.db.select().from(table).where(eq((table as any).id, row.id)))[0], row, 'the resolved row is the stored one');
        }
        const again = await versionedUpdateMany(ctx.db, table, (updated as any[]).map((target) => ({ target, changes: { label: 'c' } })));
        assert.equal(again.updated.map((r: any) => r.version), [3, 3], 'the next batch with those rows is no conflict');
      }
    });
  },
  {
    setup: async (ctx) => {
      const own = tables(ctx.d.dialect);
      (ctx as any).own = own;
      for (const table of Object.values(own)) {
        for (const statement of tableDdl(ctx.d.dialect, table)) await ctx.d.exec(statement);
        ctx.tables.push(table);
      }
      for (const statement of renderCreateTriggers(triggerSpecFor(own.triggered)!)) await ctx.d.exec(statement);
    },
  },
);
