/**
 * Version trigger DDL against the real databases: the trigger bumps writes from outside the
 * library by exactly 1, stays out of the way of writes that move the version themselves,
 * honours `checkColumns`, is idempotent, lists and drops, and survives hostile names.
 */
import { eq, sql, type Table } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError } from '../../src/errors.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import { renderCreateTriggers, renderDropTriggers, triggerDdlFor } from '../../src/triggers/trigger-ddl.js';
import { NAME_LIMITS, triggerName, triggerNameScope, triggerSpecFor, type TriggerSpec } from '../../src/triggers/trigger-spec.js';
import { versionedUpdate } from '../../src/write/versioned-update.js';
import { testDatabases, type TestDatabase } from '../support/databases.js';
import { quote, tableDdl } from '../support/ddl.js';

type Row = Record<string, unknown>;

/** A SQL string literal. */
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Reads rows through Drizzle. */
async function rows(d: TestDatabase, text: string): Promise<Row[]> {
  if (d.dialect === 'sqlite') return (await d.db.all(sql.raw(text))) as Row[];
  const result = await d.db.execute(sql.raw(text));
  if (d.dialect === 'mysql') return result[0] as Row[];
  return (Array.isArray(result) ? result : result.rows) as Row[];
}

/** Runs DDL one statement at a time through Drizzle, as a drizzle-kit migration does. */
async function migrate(d: TestDatabase, statements: readonly string[]): Promise<void> {
  for (const s of statements) await (d.dialect === 'sqlite' ? d.db.run(sql.raw(s)) : d.db.execute(sql.raw(s)));
}

interface Shape {
  schema?: string | undefined;
  table: string;
  id?: string;
  name?: string;
  version?: string;
  checkColumns?: readonly string[];
}

/** The qualified, quoted table of a shape. */
function tableRef(d: TestDatabase, s: Shape): string {
  return s.schema === undefined ? quote(d.dialect, s.table) : `${quote(d.dialect, s.schema)}.${quote(d.dialect, s.table)}`;
}

/** A hand-built spec of a raw table with columns id, name, price, note, version (names overridable). */
function specOf(d: TestDatabase, s: Shape): TriggerSpec {
  const column = s.version ?? 'v';
  return {
    dialect: d.dialect,
    schema: s.schema,
    table: s.table,
    column,
    keyColumns: [s.id ?? 'id'],
    checkColumns: s.checkColumns,
    name: triggerName(d.dialect, s.table, column),
  };
}

/** Drops and creates the raw table of `s` with rows 1 and 2 at version 1. */
async function createTable(d: TestDatabase, s: Shape): Promise<void> {
  const q = (n: string) => quote(d.dialect, n);
  const t = tableRef(d, s);
  await d.exec(`drop table if exists ${t}`);
  await d.exec(
    `create table ${t} (${q(s.id ?? 'id')} integer primary key, ${q(s.name ?? 'name')} varchar(100), ` +
      `${q('price')} integer, ${q('note')} varchar(100), ${q(s.version ?? 'v')} integer not null default 1)`,
  );
  await d.exec(`insert into ${t} (${q(s.id ?? 'id')}, ${q(s.name ?? 'name')}, ${q('price')}) values (1, 'a', 10), (2, 'b', 20)`);
}

/** Version of row `id` of `s`. */
async function versionOf(d: TestDatabase, s: Shape, id: number): Promise<number> {
  const q = (n: string) => quote(d.dialect, n);
  const found = await rows(d, `select ${q(s.version ?? 'v')} as ver from ${tableRef(d, s)} where ${q(s.id ?? 'id')} = ${id}`);
  return Number(found[0]?.['ver']);
}

/** Runs `set` on row 1 (raw, outside the library) and returns row 1's version afterwards. */
async function updateRow1(d: TestDatabase, s: Shape, set: string): Promise<number> {
  await d.exec(`update ${tableRef(d, s)} set ${set} where ${quote(d.dialect, s.id ?? 'id')} = 1`);
  return versionOf(d, s, 1);
}

/** This library's triggers as `list()` reports them. */
async function listed(d: TestDatabase): Promise<Row[]> {
  return rows(d, triggerDdlFor(d.dialect).list());
}

async function isListed(d: TestDatabase, spec: TriggerSpec): Promise<boolean> {
  return (await listed(d)).some((r) => r['name'] === spec.name && r['table'] === spec.table);
}

/** Number of PostgreSQL functions called `name` (0 elsewhere). */
async function functionCount(d: TestDatabase, name: string): Promise<number> {
  if (d.dialect !== 'pg') return 0;
  return Number((await rows(d, `select count(*) as n from pg_catalog.pg_proc where proname = ${lit(name)}`))[0]?.['n']);
}

// Every await comes before the first `run()`: standalone uvu starts on the next tick after one.
const databases = await testDatabases();
const currentDatabase = new Map<TestDatabase, string>();
for (const d of databases) {
  if (d.dialect === 'mysql') currentDatabase.set(d, String((await rows(d, 'select database() as db'))[0]?.['db']));
}

const renders = suite('trigger ddl [render]');

renders('every statement is one statement and quotes every identifier', () => {
  for (const dialect of ['pg', 'mysql', 'sqlite'] as const) {
    const spec: TriggerSpec = {
      dialect,
      schema: undefined,
      table: 'items',
      column: 'version',
      keyColumns: ['id'],
      checkColumns: ['price'],
      name: 'concurrency_items_version',
    };
    const all = [...renderCreateTriggers(spec), ...renderDropTriggers(spec), triggerDdlFor(dialect).list()];
    for (const s of all) assert.not.ok(/;\s*$/.test(s), s);
    assert.not.match(all.join('\n'), / (items|version|price|id)\b/);
  }
});

renders('pg picks a dollar-quote tag that the body does not contain', () => {
  const spec: TriggerSpec = {
    dialect: 'pg',
    schema: undefined,
    table: 't',
    column: 'a$concurrency$b',
    keyColumns: ['id'],
    checkColumns: undefined,
    name: 'concurrency_t',
  };
  const fn = renderCreateTriggers(spec)[0]!;
  assert.match(fn, / as \$concurrency1\$ begin new\."a\$concurrency\$b" := old\."a\$concurrency\$b" \+ 1; return new; end \$concurrency1\$$/);
});

renders('an unknown dialect and an SQLite table without key are configuration errors', () => {
  assert.throws(() => triggerDdlFor('oracle' as never), (e: unknown) => e instanceof ConfigurationError);
  const spec: TriggerSpec = { dialect: 'sqlite', schema: undefined, table: 't', column: 'v', keyColumns: [], checkColumns: undefined, name: 'concurrency_t_v' };
  assert.throws(() => renderCreateTriggers(spec), (e: unknown) => e instanceof ConfigurationError);
});

renders('a name cut to the limit is cut between code points, never inside a surrogate pair', () => {
  for (const dialect of ['pg', 'sqlite'] as const) {
    // Each emoji is 4 bytes: with any prefix length, some cut lands inside one unless cut by code point.
    for (let pad = 0; pad < 4; pad++) {
      const table = `${'x'.repeat(pad)}${'😀'.repeat(NAME_LIMITS[dialect] / 2)}`;
      const name = triggerName(dialect, table, 'version');
      assert.not.match(name, /\p{Surrogate}/u, `${dialect} pad ${pad}: ${name}`);
      assert.not.ok(Buffer.from(name).toString().includes('\uFFFD'));
      assert.ok(Buffer.byteLength(name) <= NAME_LIMITS[dialect], `${dialect}: ${Buffer.byteLength(name)} bytes`);
      assert.match(name, /_[0-9a-f]{8}$/);
    }
  }
});

renders('MySQL limits names to 64 characters, not bytes: a 60-character non-ASCII name is kept whole', () => {
  const name = triggerName('mysql', 'é'.repeat(40), 'version');
  assert.is(name, `concurrency_${'é'.repeat(40)}_version`);
  const cut = triggerName('mysql', 'é'.repeat(80), 'version');
  assert.is([...cut].length, 64);
});

renders('a triggerName (or derived name) holding the statement separator, a line break, NUL or a lone surrogate is a ConfigurationError', () => {
  for (const bad of ['x--> statement-breakpoint', 'a\nb', 'a\rb', 'a\u0000b', 'a\uD800b']) {
    assert.throws(() => triggerName('pg', 'items', 'version', bad), (e: unknown) => e instanceof ConfigurationError && /triggerName of "items"/.test((e as Error).message), JSON.stringify(bad));
  }
  assert.throws(() => triggerName('sqlite', 'it--> statement-breakpoint', 'version'), (e: unknown) => e instanceof ConfigurationError && /statement separator/.test((e as Error).message));
  const table = lite.sqliteTable('items', { id: lite.integer().primaryKey(), version: litev.triggerVersion({ triggerName: 'v--> statement-breakpoint' }) });
  assert.throws(() => triggerSpecFor(table), (e: unknown) => e instanceof ConfigurationError && /statement separator/.test((e as Error).message));
});

renders('triggerNameScope: PostgreSQL per schema (the function), MySQL per database folded, SQLite per database ASCII-folded', () => {
  const key = (dialect: 'pg' | 'mysql' | 'sqlite', name: string, schema?: string) => triggerNameScope({ dialect, schema, name });
  assert.is(key('pg', 'concurrency_a'), key('pg', 'concurrency_a', 'public'), 'the search path is public');
  assert.is.not(key('pg', 'concurrency_a', 'x'), key('pg', 'concurrency_a', 'y'));
  assert.is.not(key('pg', 'concurrency_A'), key('pg', 'concurrency_a'), 'quoted PostgreSQL names are case-sensitive');
  assert.is(key('mysql', 'concurrency_A'), key('mysql', 'concurrency_a'));
  assert.is(key('sqlite', 'concurrency_A'), key('sqlite', 'concurrency_a'));
  assert.is.not(key('sqlite', 'concurrency_É'), key('sqlite', 'concurrency_é'), 'SQLite folds ASCII only');
});

renders.run();

for (const [index, d] of databases.entries()) {
  const p = `dc_trg_${index}_`;
  const s = suite(`trigger ddl [${d.name}]`);

  s('an outside update moves the version by exactly 1; a write that moves it itself is left alone', async () => {
    const t: Shape = { table: `${p}basic` };
    await createTable(d, t);
    const spec = specOf(d, t);
    await migrate(d, renderCreateTriggers(spec));
    assert.is(await updateRow1(d, t, `name = 'x'`), 2);
    assert.is(await versionOf(d, t, 2), 1, 'row 2 untouched');
    assert.is(await updateRow1(d, t, `v = v + 1, name = 'y'`), 3);
    assert.is(await updateRow1(d, t, `name = 'y', v = v + 5`), 8);
    await migrate(d, renderCreateTriggers(spec));
    assert.is(await updateRow1(d, t, `name = 'z'`), 9, 'created twice, still exactly 1');
    assert.is(await updateRow1(d, t, `name = name`), 10, 'without checkColumns a no-op update moves it too');
    await d.exec(`update ${tableRef(d, t)} set price = price + 1`);
    assert.equal([await versionOf(d, t, 1), await versionOf(d, t, 2)], [11, 2], 'every row of a multi-row update');
    await migrate(d, renderDropTriggers(spec));
    await d.exec(`drop table ${tableRef(d, t)}`);
  });

  s('checkColumns: only a real change of a checked column moves the version', async () => {
    const t: Shape = { table: `${p}checked`, checkColumns: ['price', 'note'] };
    await createTable(d, t);
    const spec = specOf(d, t);
    await migrate(d, renderCreateTriggers(spec));
    assert.is(await updateRow1(d, t, `name = 'x'`), 1, 'unchecked column');
    assert.is(await updateRow1(d, t, `price = 11`), 2, 'checked column');
    assert.is(await updateRow1(d, t, `price = 11`), 2, 'same value');
    assert.is(await updateRow1(d, t, `note = 'n'`), 3, 'second checked column, NULL to value');
    assert.is(await updateRow1(d, t, `note = null`), 4, 'value to NULL');
    assert.is(await updateRow1(d, t, `note = null, name = 'y'`), 4, 'NULL to NULL');
    assert.is(await updateRow1(d, t, `price = 12, v = v + 1`), 5, 'a write moving it itself');
    assert.is(await versionOf(d, t, 2), 1);
    await migrate(d, renderDropTriggers(spec));
    assert.is(await updateRow1(d, t, `price = 13`), 5, 'dropped');
    await d.exec(`drop table ${tableRef(d, t)}`);
  });

  s('list() shows the trigger until drop; drop is idempotent, also once the table is gone', async () => {
    const t: Shape = { table: `${p}listed` };
    await createTable(d, t);
    const spec = specOf(d, t);
    await migrate(d, renderCreateTriggers(spec));
    const row = (await listed(d)).find((r) => r['name'] === spec.name);
    assert.equal(row, d.dialect === 'pg' ? { name: spec.name, table: spec.table, schema: 'public' } : { name: spec.name, table: spec.table });
    assert.is(await functionCount(d, spec.name), d.dialect === 'pg' ? 1 : 0);
    await migrate(d, renderDropTriggers(spec));
    assert.not.ok(await isListed(d, spec));
    assert.is(await functionCount(d, spec.name), 0, 'pg function dropped');
    await migrate(d, renderDropTriggers(spec));
    assert.is(await updateRow1(d, t, `name = 'x'`), 1);

    await migrate(d, renderCreateTriggers(spec));
    await d.exec(`drop table ${tableRef(d, t)}`);
    await migrate(d, renderDropTriggers(spec));
    await migrate(d, renderDropTriggers(spec));
    assert.not.ok(await isListed(d, spec));
    assert.is(await functionCount(d, spec.name), 0, 'pg function dropped after its table');
  });

  s('list() ignores triggers that only look like the prefix', async () => {
    const t: Shape = { table: `${p}lookalike` };
    await createTable(d, t);
    for (const name of ['concurrencyX_lookalike', 'Concurrency_lookalike']) {
      const other = { ...specOf(d, t), name };
      await migrate(d, triggerDdlFor(d.dialect).create(other));
      assert.not.ok((await listed(d)).some((r) => r['name'] === other.name), name);
      await migrate(d, triggerDdlFor(d.dialect).drop(other));
    }
    await d.exec(`drop table ${tableRef(d, t)}`);
  });

  const hostile: Shape[] = [
    { table: 'order', id: 'select', name: 'from', version: 'version' },
    { table: `${p}We "ird\` ü 表`, id: `I"d\``, name: 'Na me', version: `Ver "si\`on ü $concurrency$`, checkColumns: ['Na me'] },
    { table: `DC_Trg_${index}_Mixed`, id: 'Id', name: 'Name', version: 'RowVersion' },
  ];
  if (d.dialect === 'pg') hostile.push({ schema: `${p}Sch "é`, table: 'order', version: 'Order' });
  if (d.dialect === 'mysql') hostile.push({ schema: currentDatabase.get(d), table: `${p}in_db` });
  if (d.dialect === 'sqlite') hostile.push({ schema: 'main', table: `${p}in_main` });

  for (const t of hostile) {
    s(`hostile names: ${t.schema === undefined ? '' : `${t.schema}.`}${t.table}`, async () => {
      if (d.dialect === 'pg' && t.schema !== undefined) {
        await d.exec(`create schema if not exists ${quote('pg', t.schema)}`);
      }
      await createTable(d, t);
      const spec = specOf(d, t);
      await migrate(d, renderCreateTriggers(spec));
      await migrate(d, renderCreateTriggers(spec));
      const q = (n: string) => quote(d.dialect, n);
      assert.is(await updateRow1(d, t, `${q(t.name ?? 'name')} = 'x'`), 2);
      assert.is(await updateRow1(d, t, `${q(t.version ?? 'v')} = ${q(t.version ?? 'v')} + 1`), 3);
      assert.is(await versionOf(d, t, 2), 1);
      const found = (await listed(d)).find((r) => r['name'] === spec.name);
      assert.is(found?.['table'], t.table);
      if (d.dialect === 'pg') assert.is(found?.['schema'], t.schema ?? 'public');
      await migrate(d, renderDropTriggers(spec));
      await migrate(d, renderDropTriggers(spec));
      assert.not.ok(await isListed(d, spec));
      assert.is(await functionCount(d, spec.name), 0);
      assert.is(await updateRow1(d, t, `${q(t.name ?? 'name')} = 'y'`), 3, 'dropped');
      await d.exec(`drop table ${tableRef(d, t)}`);
      if (d.dialect === 'pg' && t.schema !== undefined) await d.exec(`drop schema ${quote('pg', t.schema)} cascade`);
    });
  }

  s('composite primary key: only the updated row moves, also when its key changes', async () => {
    const variants = d.dialect === 'sqlite' ? ['', ' without rowid'] : [''];
    for (const variant of variants) {
      const table = `${p}composite`;
      const t = quote(d.dialect, table);
      await d.exec(`drop table if exists ${t}`);
      await d.exec(
        `create table ${t} (org integer not null, slug varchar(20) not null, label varchar(20), v integer not null default 1, primary key (org, slug))${variant}`,
      );
      await d.exec(`insert into ${t} (org, slug, label) values (1, 'a', 'x'), (1, 'b', 'x'), (2, 'a', 'x')`);
      const spec: TriggerSpec = { ...specOf(d, { table }), keyColumns: ['org', 'slug'] };
      await migrate(d, renderCreateTriggers(spec));
      const versions = async () => (await rows(d, `select org, slug, v from ${t} order by org, slug`)).map((r) => `${String(r['org'])}${String(r['slug'])}:${Number(r['v'])}`);
      await d.exec(`update ${t} set label = 'y' where org = 1 and slug = 'a'`);
      assert.equal(await versions(), ['1a:2', '1b:1', '2a:1'], variant);
      await d.exec(`update ${t} set slug = 'z' where org = 2 and slug = 'a'`);
      assert.equal(await versions(), ['1a:2', '1b:1', '2z:2'], variant);
      if (d.dialect === 'sqlite') {
        await d.exec('pragma recursive_triggers = on');
        await d.exec(`update ${t} set label = 'z' where org = 1 and slug = 'b'`);
        await d.exec('pragma recursive_triggers = off');
        assert.equal(await versions(), ['1a:2', '1b:2', '2z:2'], `recursive_triggers${variant}`);
      }
      await migrate(d, renderDropTriggers(spec));
      await d.exec(`drop table ${t}`);
    }
  });

  s('triggerSpecFor a Drizzle table: plain db.update is bumped, the library write is not bumped twice', async () => {
    const tables = drizzleTables(d, p);
    for (const table of [tables.items, tables.priced]) for (const stmt of tableDdl(d.dialect, table)) await d.exec(stmt);
    const items = triggerSpecFor(tables.items)!;
    const priced = triggerSpecFor(tables.priced)!;
    assert.equal(
      { ...items },
      { dialect: d.dialect, schema: undefined, table: `${p}items`, column: 'version', keyColumns: ['id'], checkColumns: undefined, name: `concurrency_${p}items_version` },
    );
    assert.equal(priced.checkColumns, ['unit_price']);
    assert.is(priced.column, 'row_version');
    for (const spec of [items, priced]) await migrate(d, renderCreateTriggers(spec));

    const db = d.db;
    const t = tables.items as any;
    await db.insert(t).values({ id: 1, name: 'a', unitPrice: 1 });
    const stored = async (table: any) => Number((await db.select().from(table).where(eq(table.id, 1)))[0]?.[table === t ? 'version' : 'rowVersion']);
    await db.update(t).set({ name: 'b' }).where(eq(t.id, 1));
    assert.is(await stored(t), 2, 'plain drizzle update');
    const row = await versionedUpdate(db, tables.items, { id: 1, version: 2 } as never, { name: 'c' } as never);
    assert.is(Number((row as Row)['version']), 3, 'returned');
    assert.is(await stored(t), 3, 'library write moved it once');

    const pr = tables.priced as any;
    await db.insert(pr).values({ id: 1, name: 'a', unitPrice: 1 });
    await db.update(pr).set({ name: 'b' }).where(eq(pr.id, 1));
    assert.is(await stored(pr), 1, 'unchecked column');
    await db.update(pr).set({ unitPrice: 2 }).where(eq(pr.id, 1));
    assert.is(await stored(pr), 2, 'checked column');
    await versionedUpdate(db, tables.priced, { id: 1, rowVersion: 2 } as never, { unitPrice: 3 } as never);
    assert.is(await stored(pr), 3, 'library write of a checked column moved it once');
    await versionedUpdate(db, tables.priced, { id: 1, rowVersion: 3 } as never, { name: 'c' } as never);
    assert.is(await stored(pr), 3, 'library write of an unchecked column');

    for (const spec of [items, priced]) {
      await migrate(d, renderDropTriggers(spec));
      await d.exec(`drop table ${quote(d.dialect, spec.table)}`);
    }
  });

  s.run();
}

/** An unchecked and a checked trigger-versioned Drizzle table of the dialect of `d`. */
function drizzleTables(d: TestDatabase, p: string): { items: Table; priced: Table } {
  if (d.dialect === 'pg') {
    const { pgTable, integer, varchar } = pgc;
    const cols = () => ({ id: integer().primaryKey(), name: varchar({ length: 100 }), unitPrice: integer('unit_price') });
    return {
      items: pgTable(`${p}items`, { ...cols(), version: pgv.triggerVersion() }),
      priced: pgTable(`${p}priced`, { ...cols(), rowVersion: pgv.triggerVersion('row_version', { checkFields: ['unitPrice'] }) }),
    };
  }
  if (d.dialect === 'mysql') {
    const { mysqlTable, int, varchar } = my;
    const cols = () => ({ id: int().primaryKey(), name: varchar({ length: 100 }), unitPrice: int('unit_price') });
    return {
      items: mysqlTable(`${p}items`, { ...cols(), version: myv.triggerVersion() }),
      priced: mysqlTable(`${p}priced`, { ...cols(), rowVersion: myv.triggerVersion('row_version', { checkFields: ['unitPrice'] }) }),
    };
  }
  const { sqliteTable, integer, text } = lite;
  const cols = () => ({ id: integer().primaryKey(), name: text(), unitPrice: integer('unit_price') });
  return {
    items: sqliteTable(`${p}items`, { ...cols(), version: litev.triggerVersion() }),
    priced: sqliteTable(`${p}priced`, { ...cols(), rowVersion: litev.triggerVersion('row_version', { checkFields: ['unitPrice'] }) }),
  };
}
