/**
 * One uvu suite per test database: the test tables are created once per suite and emptied
 * before each test; the process configuration is reset too.
 */
import { getTableName, type Table } from 'drizzle-orm';
import { suite, type Test } from 'uvu';
import { resetConcurrencyConfig } from '../../src/config/config.js';
import { testDatabases, type Dialect, type TestDatabase } from './databases.js';
import { quote, tableDdl } from './ddl.js';
import { testSchema, type TestSchema } from './schema.js';

export interface Context {
  d: TestDatabase;
  db: any;
  t: TestSchema;
  /** Creates the version triggers of the trigger tables (installed by suites that ask for them). */
  tables: Table[];
}

/** Empties `tables` through raw SQL. */
export async function emptyTables(d: TestDatabase, tables: readonly Table[]): Promise<void> {
  for (const table of tables) await d.exec(`delete from ${quote(d.dialect, getTableName(table))}`);
}

/**
 * Defines `title [driver]` suites for every database. `setup` runs once per suite after the
 * tables exist (e.g. to install triggers).
 */
export async function databaseSuites(
  title: string,
  define: (test: Test<Context>, ctx: Context) => void,
  options: { setup?: (ctx: Context) => Promise<void>; prefix?: string; dialects?: readonly Dialect[] } = {},
): Promise<void> {
  for (const d of await testDatabases()) {
    if (options.dialects && !options.dialects.includes(d.dialect)) continue;
    const t = testSchema(d.dialect, options.prefix ?? 'dc_');
    const ctx: Context = { d, db: d.db, t, tables: Object.values(t) };
    const s = suite<Context>(`${title} [${d.name}]`, ctx);
    s.before(async () => {
      for (const table of ctx.tables) for (const statement of tableDdl(d.dialect, table)) await d.exec(statement);
      await options.setup?.(ctx);
    });
    s.before.each(async () => {
      resetConcurrencyConfig();
      await emptyTables(d, ctx.tables);
    });
    s.after(() => resetConcurrencyConfig());
    define(s, ctx);
    s.run();
  }
}
