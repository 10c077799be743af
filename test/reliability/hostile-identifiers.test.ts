/**
 * Hostile identifiers: tables and columns named with reserved words, quotes (", ', `),
 * spaces, mixed case, BMP unicode and maximum-length names (PostgreSQL 63 bytes, MySQL 64
 * characters), on PostgreSQL inside a schema other than `public`. The trigger DDL, the
 * runtime writes and the codegen quote them all and the triggers work; trigger names over a
 * dialect's limit are shortened deterministically without collisions.
 */
import { createClient } from '@libsql/client';
import { eq } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import { join } from 'node:path';
import postgres from 'postgres';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NAME_LIMITS, renderCreateTriggers, renderDropTriggers, triggerName, triggerSpecFor } from '../../codegen/index.js';
import { RecordDeletedError, RecordModifiedError, versionedDelete, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import { testDatabases, type Dialect } from '../support/databases.js';
import { quote } from '../support/ddl.js';
import { rejects } from '../support/assert-rejects.js';
import { makeProject, type Project } from '../codegen/support/project.js';
import { scratchDatabase, type Scratch } from '../codegen/support/scratch-database.js';

const PID = process.pid;
/** Column names: a reserved word for the key, quotes and spaces for the data, all three quotes for the version. */
const COLS = { id: 'select', body: `Body "q" 'a' \`b\` Ünï`, version: `order's "Version"` };

/** A name of exactly `limit` (bytes on PostgreSQL, characters on MySQL) ending with `tail`. */
function maxName(dialect: Dialect, tail: string): string {
  const head = `rel_${PID}_Ünïcödé_`;
  if (dialect === 'mysql') return (head + 'x'.repeat(64)).slice(0, 64 - tail.length) + tail;
  let name = head + 'ü'.repeat(40);
  while (Buffer.byteLength(name + tail) > NAME_LIMITS.pg) name = name.slice(0, -1);
  while (Buffer.byteLength(name + tail) < NAME_LIMITS.pg) name += 'x';
  return name + tail;
}

function tableNames(dialect: Dialect): string[] {
  return [
    dialect === 'pg' ? 'order' : `rel_${PID} order`,
    `rel_${PID} "Select" 'x' \`y\` Tâblé ☃`,
    maxName(dialect, 'A'),
    maxName(dialect, 'B'),
  ];
}

/** The hostile table `name`: key `select`, a body, a trigger version (with checkFields on the odd ones). */
function hostileTable(dialect: Dialect, schema: string, name: string, checked: boolean): any {
  const version = checked ? { checkFields: ['body'] } : {};
  if (dialect === 'pg') {
    const s = pgc.pgSchema(schema);
    return s.table(name, { id: pgc.integer(COLS.id).primaryKey(), body: pgc.text(COLS.body).notNull(), version: pgv.triggerVersion(COLS.version, version) });
  }
  if (dialect === 'mysql') {
    return my.mysqlTable(name, { id: my.int(COLS.id).primaryKey(), body: my.varchar(COLS.body, { length: 50 }).notNull(), version: myv.triggerVersion(COLS.version, version) });
  }
  return lite.sqliteTable(name, { id: lite.integer(COLS.id).primaryKey(), body: lite.text(COLS.body).notNull(), version: litev.triggerVersion(COLS.version, version) });
}

const test = suite('reliability: hostile identifiers [trigger names]');

test('trigger names over the limit are cut deterministically, within the limit, and two names differing only at the end do not collide', () => {
  for (const dialect of ['pg', 'mysql'] as const) {
    const a = maxName(dialect, 'A');
    const b = maxName(dialect, 'B');
    const na = triggerName(dialect, a, 'version');
    const nb = triggerName(dialect, b, 'version');
    assert.is.not(na, nb);
    assert.is(triggerName(dialect, a, 'version'), na, 'deterministic');
    assert.ok(na.startsWith('concurrency_'));
    const size = (s: string) => (dialect === 'pg' ? Buffer.byteLength(s) : [...s].length);
    assert.ok(size(na) <= NAME_LIMITS[dialect] && size(nb) <= NAME_LIMITS[dialect], `${na} / ${nb}`);
    // Custom names too, and a name cut inside a multi-byte character stays valid UTF-8.
    const long = `x${'é'.repeat(60)}`;
    assert.is.not(triggerName(dialect, 't', 'v', `${long}1`), triggerName(dialect, 't', 'v', `${long}2`));
    assert.not.match(triggerName(dialect, 't', 'v', long), /\uFFFD/);
  }
});

test.run();

const databases = (await testDatabases()).filter((d) => ['pg/postgres-js', 'mysql/mysql2', 'sqlite/libsql-memory'].includes(d.name));


for (const d of databases) {
  const s = suite(`reliability: hostile identifiers [${d.name}]`);
  const schema = `rel_${PID} Schéma "x" 'y'`;
  const q = (n: string) => quote(d.dialect, n);
  const qualified = (n: string) => (d.dialect === 'pg' ? `${q(schema)}.${q(n)}` : q(n));
  const tables = tableNames(d.dialect).map((name, i) => ({ name, t: hostileTable(d.dialect, schema, name, i % 2 === 1) }));
  s.before(async () => {
    if (d.dialect === 'pg') await d.exec(`create schema ${q(schema)}`);
    for (const { name } of tables) {
      await d.exec(`drop table if exists ${qualified(name)}`);
      const body = d.dialect === 'mysql' ? 'varchar(50)' : 'text';
      await d.exec(`create table ${qualified(name)} (${q(COLS.id)} integer primary key, ${q(COLS.body)} ${body} not null, ${q(COLS.version)} integer not null default 1)`);
    }
  });
  s.after(async () => {
    if (d.dialect === 'pg') await d.exec(`drop schema if exists ${q(schema)} cascade`);
    else for (const { name } of tables) await d.exec(`drop table if exists ${qualified(name)}`);
  });

  for (const { name, t } of tables) {
    s(`${JSON.stringify(name)}: trigger DDL applies twice, the trigger bumps raw SQL, the versioned writes work, the drop removes it`, async () => {
      const spec = triggerSpecFor(t)!;
      assert.is(spec.table, name);
      if (d.dialect === 'pg') assert.is(spec.schema, schema);
      for (let i = 0; i < 2; i++) for (const statement of renderCreateTriggers(spec)) await d.exec(statement);
      const versionOf = async (id: number) => (await d.db.select().from(t).where(eq(t.id, id)))[0]?.version;
      await d.db.insert(t).values([{ id: 1, body: 'a' }, { id: 2, body: 'b' }, { id: 3, body: 'c' }]);
      await d.exec(`update ${qualified(name)} set ${q(COLS.body)} = 'raw' where ${q(COLS.id)} = 1`);
      assert.is(await versionOf(1), 2, 'the trigger bumps a raw UPDATE');
      const [row] = await d.db.select().from(t).where(eq(t.id, 1));
      const saved = await versionedUpdate(d.db, t, row, { body: `it's "q" \`b\`` });
      assert.is(saved.version, 3, 'one bump, the trigger stays out of the way');
      assert.is(saved.body, `it's "q" \`b\``);
      await rejects(() => versionedUpdate(d.db, t, row, { body: 'stale' }), RecordModifiedError);
      const [r2, r3] = await d.db.select().from(t).where(eq(t.id, 2)).then(async (a: any[]) => [...a, ...(await d.db.select().from(t).where(eq(t.id, 3)))]);
      const { updated } = await versionedUpdateMany(d.db, t, [{ target: r2, changes: { body: 'b2' } }, { target: r3, changes: { body: 'c2' } }]);
      assert.equal(updated.map((u: any) => [u.id, u.body, u.version]), [[2, 'b2', 2], [3, 'c2', 2]]);
      await rejects(() => versionedUpdateMany(d.db, t, [{ target: r2, changes: { body: 'stale' } }]), RecordModifiedError);
      await versionedDelete(d.db, t, saved);
      await rejects(() => versionedDelete(d.db, t, saved), RecordDeletedError);
      for (let i = 0; i < 2; i++) for (const statement of renderDropTriggers(spec)) await d.exec(statement);
      await d.exec(`update ${qualified(name)} set ${q(COLS.body)} = 'raw2' where ${q(COLS.id)} = 2`);
      assert.is(await versionOf(2), 2, 'no trigger left');
      await d.exec(`delete from ${qualified(name)}`);
    });
  }

  s('the two maximum-length tables have distinct triggers that coexist', async () => {
    const [a, b] = [tables[2]!, tables[3]!];
    const [sa, sb] = [triggerSpecFor(a.t)!, triggerSpecFor(b.t)!];
    assert.is.not(sa.name, sb.name);
    for (const spec of [sa, sb]) for (const statement of renderCreateTriggers(spec)) await d.exec(statement);
    for (const { name, t } of [a, b]) {
      await d.db.insert(t).values({ id: 9, body: 'x' });
      await d.exec(`update ${qualified(name)} set ${q(COLS.body)} = 'y'`);
      assert.is((await d.db.select().from(t))[0].version, 2, `${name}: its own trigger fired`);
      await d.exec(`delete from ${qualified(name)}`);
    }
    for (const spec of [sa, sb]) for (const statement of renderDropTriggers(spec)) await d.exec(statement);
  });

  s.run();
}

/**
 * drizzle-kit's own DDL does not escape quote characters inside identifiers (its
 * `CREATE SCHEMA "a "b""` fails, its libSQL migrate exits 1 silently), so the codegen round
 * trip uses every other kind of hostile name: reserved words, spaces, mixed case, unicode,
 * maximum length.
 */
const CG_COLS = { id: 'select', body: 'Body Ünï Mixed', version: 'order Version' };

function cgTableNames(dialect: 'pg' | 'sqlite'): string[] {
  return [`rel_${PID} Order Tâblé ☃ Select`, dialect === 'pg' ? maxName('pg', 'C') : `rel_${PID}_${'Ünïcödé'.repeat(20)}`];
}

/** A schema module with the hostile names, for the codegen (the names as JS string literals). */
function hostileSchemaSource(dialect: 'pg' | 'sqlite', schema: string): string {
  const names = cgTableNames(dialect);
  const lit = (s: string) => JSON.stringify(s);
  if (dialect === 'pg') {
    return [
      `import { integer, pgSchema, text } from 'drizzle-orm/pg-core';`,
      `import { triggerVersion } from 'drizzle-concurrency/pg-core';`,
      `export const hostile = pgSchema(${lit(schema)});`,
      ...names.map(
        (n, i) =>
          `export const t${i} = hostile.table(${lit(n)}, { id: integer(${lit(CG_COLS.id)}).primaryKey(), body: text(${lit(CG_COLS.body)}).notNull(), version: triggerVersion(${lit(CG_COLS.version)}${i === 1 ? `, { checkFields: ['body'] }` : ''}) });`,
      ),
      `export const reserved = hostile.table('order', { id: integer(${lit(CG_COLS.id)}).primaryKey(), body: text(${lit(CG_COLS.body)}).notNull(), version: triggerVersion(${lit(CG_COLS.version)}) });`,
    ].join('\n');
  }
  return [
    `import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';`,
    `import { triggerVersion } from 'drizzle-concurrency/sqlite-core';`,
    ...names.map(
      (n, i) =>
        `export const t${i} = sqliteTable(${lit(n)}, { id: integer(${lit(CG_COLS.id)}).primaryKey(), body: text(${lit(CG_COLS.body)}).notNull(), version: triggerVersion(${lit(CG_COLS.version)}${i === 1 ? `, { checkFields: ['body'] }` : ''}) });`,
    ),
    `export const reserved = sqliteTable('order', { id: integer(${lit(CG_COLS.id)}).primaryKey(), body: text(${lit(CG_COLS.body)}).notNull(), version: triggerVersion(${lit(CG_COLS.version)}) });`,
  ].join('\n');
}

const available = new Set((await testDatabases()).map((d) => d.dialect));
for (const dialect of ['sqlite', 'pg'] as const) {
  if (!available.has(dialect)) continue;
  const s = suite(`reliability: hostile identifiers [codegen ${dialect}]`);
  const schema = `rel_${PID} Schéma Select`;
  let project: Project | undefined;
  let db: Scratch | undefined;
  s.after(async () => {
    await db?.drop();
    project?.remove();
  });
  s('drizzle-kit generate → drizzle-concurrency generate → migrate: the triggers exist and bump raw updates; the generated conflict tests pass', async () => {
    db = await scratchDatabase(dialect);
    project = makeProject(`rel-hostile-${dialect}`, dialect, db.credentials);
    project.write({ 'schema.ts': hostileSchemaSource(dialect, schema) });
    project.kit('generate', '--name', 'init');
    const r = project.cli('generate');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /0001_concurrency_triggers\.sql/);
    await db.migrate(project);
    const qualified = (n: string) => (dialect === 'pg' ? `${db!.q(schema)}.${db!.q(n)}` : db!.q(n));
    for (const name of [...cgTableNames(dialect), 'order']) {
      await db.exec(`insert into ${qualified(name)} (${db.q(CG_COLS.id)}, ${db.q(CG_COLS.body)}) values (1, 'a')`);
      await db.exec(`update ${qualified(name)} set ${db.q(CG_COLS.body)} = 'b'`);
      const found: any[] = [];
      // Scratch.versions() reads an unquoted `version` column of a search-path table: query by hand.
      if (dialect === 'pg') {
        const c = postgres(String(db.credentials['url']), { max: 1, onnotice: () => {} });
        found.push(...(await c.unsafe(`select ${db.q(CG_COLS.version)} as v from ${qualified(name)}`)));
        await c.end();
      } else {
        const c = createClient({ url: `file:${join(project.dir, 'dev.db')}` });
        found.push(...(await c.execute(`select ${db.q(CG_COLS.version)} as v from ${qualified(name)}`)).rows);
        c.close();
      }
      assert.equal(found.map((row) => Number(row.v)), [2], `${name}: the generated trigger bumps a raw UPDATE`);
    }
    const again = project.cli('check');
    assert.is(again.code, 0, again.stderr);
    // The generated suites take a few seconds: on SQLite always, on PostgreSQL under `npm run torture`.
    if (dialect === 'sqlite' || process.env['RELIABILITY_FULL'] === '1') {
      const tests = project.generatedTests();
      assert.is(tests.code, 0, tests.stdout + tests.stderr);
      console.log(`  hostile codegen ${dialect}: ${/Total:\s+(\d+)/.exec(tests.stdout)?.[1]} generated conflict tests passed`);
    }
  });
  s.run();
}
