/**
 * Server-side prepared statements the library leaves on a connection. node-postgres sends a
 * named statement for every query given a name and never deallocates it: with a name per
 * statement shape a long-lived connection collected one per shape (1,023, then 2,046 after the
 * statement cache was trimmed), and a transaction pooler without prepared-statement tracking
 * sent those names to server connections that never saw them. The library names statements
 * only on postgres.js (which manages its own), so a connection holds a bounded number.
 */
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import * as assert from 'uvu/assert';
import { versionedDelete, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import { integerVersion } from '../../src/pg/index.js';
import { tableDdl } from '../support/ddl.js';
import { databaseSuites } from '../support/suite.js';

const COLUMNS = 9;
const wide = pgTable('dc_wide_shapes', {
  id: integer().primaryKey(),
  ...Object.fromEntries(Array.from({ length: COLUMNS }, (_, i) => [`c${i}`, integer().notNull().default(0)])),
  version: integerVersion(),
}) as any;

/** The column keys of the `mask`-th subset of c0…c8. */
const subset = (mask: number) => Array.from({ length: COLUMNS }, (_, i) => `c${i}`).filter((_, i) => mask & (1 << i));

/** More distinct shapes than the library's per-table statement cache holds (256), so it is trimmed. */
const SHAPES = 300;
/**
 * Statements a connection may hold. postgres.js (`prepare: true`) keeps one per distinct
 * statement text for the connection's life (its `max_lifetime`), never one per cache rebuild.
 */
const bound = (driver: string) => (driver === 'pg/postgres-js' ? SHAPES + 8 : 0);

await databaseSuites(
  'prepared statements on the server',
  (test, { d }) => {
    test(`${SHAPES} update shapes on one connection: no named statements left by node-postgres, one per statement text by postgres.js`, async () => {
      for (const statement of tableDdl(d.dialect, wide)) await d.exec(statement);
      const { db, close } = await d.connect(1);
      try {
        await db.insert(wide).values([{ id: 1 }, { id: 2 }]);
        let [row] = await db.select().from(wide).where(eq(wide.id, 1));
        for (let mask = 1; mask <= SHAPES; mask++) {
          const changes = Object.fromEntries(subset(mask).map((key) => [key, mask]));
          row = await versionedUpdate(db, wide, row, changes);
          // The failure path reads the row by key: one more statement per table.
          await versionedUpdate(db, wide, { id: 1, version: 0 }, changes).catch(() => {});
        }
        const [two] = await db.select().from(wide).where(eq(wide.id, 2));
        await versionedUpdateMany(db, wide, [{ target: two, changes: { c0: 1 } }]);
        await versionedDelete(db, wide, (await db.select().from(wide).where(eq(wide.id, 2)))[0]);
        assert.is(row.version, SHAPES + 1);
        const [held] = await db.execute(sql`select count(*)::int as n from pg_prepared_statements`).then((r: any) => r.rows ?? r);
        console.log(`  ${d.name}: ${held.n} prepared statements held after ${SHAPES} shapes`);
        assert.ok(held.n <= bound(d.name), `${d.name} holds ${held.n} prepared statements on one connection`);
      } finally {
        await close();
      }
    });
  },
  { dialects: ['pg'] },
);
