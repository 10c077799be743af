/**
 * Faults against the real servers: the connection of a `versionedUpdateMany` transaction is
 * killed mid-UPDATE (PostgreSQL `pg_terminate_backend`, MariaDB `KILL`), a backend is
 * terminated between two writes on a pool, and a trigger migration fails half-way. Nothing
 * the library could have prevented is half-applied, the driver error comes through, and no
 * scope or configuration state is left behind.
 */
import { eq } from 'drizzle-orm';
import { migrate as migrateMysql } from 'drizzle-orm/mysql2/migrator';
import * as my from 'drizzle-orm/mysql-core';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import * as pgc from 'drizzle-orm/pg-core';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderCreateTriggers, triggerSpecFor } from '../../codegen/index.js';
import { concurrencyConfig, resetConcurrencyConfig } from '../../src/config/config.js';
import { RecordModifiedError, configureConcurrency, disableConcurrency, versionedUpdate, versionedUpdateMany } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { MYSQL_URL, PG_URL, testDatabases, type TestDatabase } from '../support/databases.js';
import { quote, tableDdl } from '../support/ddl.js';
import { rejects } from '../support/assert-rejects.js';
import { counterTable } from './support/tables.js';

const TMP = fileURLToPath(new URL('../../.tmp/', import.meta.url));
const ROWS = 4;
/** Per-row delay of the slow trigger: the UPDATE of the batch runs for about ROWS × this. */
const SLEEP_S = 0.4;

const databases = (await testDatabases()).filter((d) => d.name === 'pg/node-postgres' || d.name === 'mysql/mysql2');
// Not postgres.js: a backend terminated inside its transaction crashes the process from
// postgres.js itself (TypeError in connection.js nextWrite, reproducible without this library).

/**
 * A one-connection pool of its own. node-postgres emits `error` on the pool when an idle
 * client's backend is terminated, and a checked-out client on itself: an application must
 * listen, so the test does.
 */
function connect(d: TestDatabase): { db: any; errors: Error[]; close(): Promise<void> } {
  const errors: Error[] = [];
  if (d.dialect === 'pg') {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    pool.on('error', (e) => errors.push(e));
    // A checked-out client (Drizzle's transaction) whose backend dies emits `error` itself.
    pool.on('connect', (client) => client.on('error', (e) => errors.push(e)));
    return { db: drizzlePg(pool), errors, close: () => pool.end() };
  }
  const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1 });
  return { db: drizzleMysql(pool), errors, close: () => pool.end() };
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Raw query returning rows, on `d`'s main connection. */
async function rows(d: TestDatabase, statement: string): Promise<any[]> {
  const result: any = await d.db.execute(statement);
  return Array.isArray(result) ? (d.dialect === 'mysql' ? (result[0] as any[]) : result) : (result.rows ?? []);
}

/** Makes every UPDATE of `table` sleep per row, so a batch can be killed while it runs. */
async function slowTrigger(d: TestDatabase, table: string): Promise<void> {
  const q = (n: string) => quote(d.dialect, n);
  if (d.dialect === 'pg') {
    await d.exec(`create or replace function ${q(`${table}_slow`)}() returns trigger language plpgsql as $$ begin perform pg_sleep(${SLEEP_S}); return new; end $$`);
    await d.exec(`create trigger ${q(`${table}_slow`)} before update on ${q(table)} for each row execute function ${q(`${table}_slow`)}()`);
  } else {
    await d.exec(`create trigger ${q(`${table}_slow`)} before update on ${q(table)} for each row set @rel_slept_${process.pid} = sleep(${SLEEP_S})`);
  }
}

/** Waits until a statement matching `pattern` runs on another connection, then kills that connection. Returns its id. */
async function killWhenRunning(d: TestDatabase, pattern: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found =
      d.dialect === 'pg'
        ? await rows(d, `select pid as id from pg_stat_activity where state = 'active' and query ilike '${pattern}' and pid <> pg_backend_pid()`)
        : await rows(d, `select id from information_schema.processlist where info like '${pattern}' and id <> connection_id()`);
    const id = found[0]?.id;
    if (id !== undefined) {
      await d.exec(d.dialect === 'pg' ? `select pg_terminate_backend(${id})` : `kill ${id}`);
      return String(id);
    }
    await sleep(20);
  }
  throw new Error(`no statement like ${pattern} showed up`);
}

for (const d of databases) {
  const s = suite(`reliability: faults [${d.name}]`);
  const name = `rel_faults_${process.pid}`;
  const t = counterTable(d.dialect, name);
  const q = (n: string) => quote(d.dialect, n);
  s.before(async () => {
    for (const statement of tableDdl(d.dialect, t)) await d.exec(statement);
    await slowTrigger(d, name);
  });
  s.before.each(async () => {
    resetConcurrencyConfig();
    await d.exec(`delete from ${q(name)}`);
    for (let id = 1; id <= ROWS; id++) await d.exec(`insert into ${q(name)} (id, n, version) values (${id}, ${id * 10}, 1)`);
  });
  s.after(async () => {
    await d.exec(`drop table if exists ${q(name)}`);
    if (d.dialect === 'pg') await d.exec(`drop function if exists ${q(`${name}_slow`)}()`);
    resetConcurrencyConfig();
  });

  s('the connection killed mid-UPDATE of versionedUpdateMany (abort): no row changed, the driver error surfaces, no scope or config left', async () => {
    const onConflict = () => {};
    configureConcurrency({ onConflict });
    const configBefore = { ...concurrencyConfig() };
    const pool = connect(d);
    const before = await d.db.select().from(t).orderBy(t.id);
    try {
      const items = before.map((row: any) => ({ target: row, changes: { n: row.n + 1 } }));
      // Inside a disableConcurrency scope, to check the scope ends with the failure.
      const batch = disableConcurrency(t, () => versionedUpdateMany(pool.db, t, items, { policy: 'abort' }));
      const settled = batch.then(
        () => undefined,
        (e: unknown) => e,
      );
      // MariaDB's processlist shows the trigger's statement while the UPDATE runs it.
      const killed = await killWhenRunning(d, d.dialect === 'pg' ? `update%${name}%` : `%rel_slept_${process.pid}%`);
      const error = (await settled) as Error | undefined;
      assert.ok(error instanceof Error, 'the batch must fail when its connection dies');
      assert.not.instance(error, RecordModifiedError);
      const chain = `${error.message} ${String((error as any).cause?.message ?? '')} ${String((error as any).code ?? '')} ${String((error as any).cause?.code ?? '')}`;
      assert.match(chain, d.dialect === 'pg' ? /terminat|57P01|connection|CONNECTION_|ECONNRESET/i : /kill|interrupt|closed|lost|ECONNRESET|PROTOCOL_CONNECTION_LOST|1927|70100/i);
      console.log(`  fault ${d.name}: killed ${killed} mid-batch → ${error.constructor.name}: ${error.message.split('\n')[0]?.slice(0, 90)}${(error as any).cause ? ` (cause: ${String((error as any).cause).slice(0, 90)})` : ''}`);
    } finally {
      await pool.close().catch(() => {});
    }
    assert.equal(await d.db.select().from(t).orderBy(t.id), before, 'a killed batch must change no row');
    assert.equal({ ...concurrencyConfig() }, configBefore, 'configuration unchanged');
    // The scope ended: a stale write is checked again.
    await rejects(() => versionedUpdate(d.db, t, { id: 1, version: 99 }, { n: 0 }), RecordModifiedError);
    // And the table still takes a versioned batch.
    const fresh = await d.db.select().from(t).orderBy(t.id);
    const { updated } = await versionedUpdateMany(d.db, t, fresh.map((row: any) => ({ target: row, changes: { n: row.n + 1 } })));
    assert.equal(updated.map((r: any) => r.version), [2, 2, 2, 2]);
  });

  s('a backend terminated between two writes on a pool: the next write succeeds or fails clearly, the one after works', async () => {
    const pool = connect(d);
    try {
      let [row] = await pool.db.select().from(t).where(eq(t.id, 1));
      row = await versionedUpdate(pool.db, t, row, { n: 1 });
      const [{ id }] = await rows({ ...d, db: pool.db }, d.dialect === 'pg' ? 'select pg_backend_pid() as id' : 'select connection_id() as id');
      await d.exec(d.dialect === 'pg' ? `select pg_terminate_backend(${id})` : `kill ${id}`);
      await sleep(100);
      let outcome: string;
      try {
        row = await versionedUpdate(pool.db, t, row, { n: 2 });
        outcome = 'succeeded (the pool reconnected)';
      } catch (error) {
        assert.not.instance(error, RecordModifiedError, 'a dead connection is not a conflict');
        outcome = `failed: ${(error as Error).constructor.name}: ${(error as Error).message.split('\n')[0]?.slice(0, 80)}`;
        [row] = await pool.db.select().from(t).where(eq(t.id, 1));
      }
      const after = await versionedUpdate(pool.db, t, row, { n: 3 });
      assert.is(after.n, 3);
      const [stored] = await d.db.select().from(t).where(eq(t.id, 1));
      assert.is(stored.version, after.version);
      console.log(`  fault ${d.name}: backend ${id} terminated between writes → next write ${outcome}; the one after worked`);
    } finally {
      await pool.close().catch(() => {});
    }
  });

  s('a trigger migration failing at its last statement: PostgreSQL applies nothing, MariaDB keeps its (idempotent) DDL and a re-run completes', async () => {
    const trig = `rel_mig_${process.pid}`;
    const tt =
      d.dialect === 'pg'
        ? pgc.pgTable(trig, { id: pgc.integer().primaryKey(), n: pgc.integer().notNull(), version: pgv.triggerVersion() })
        : my.mysqlTable(trig, { id: my.int().primaryKey(), n: my.int().notNull(), version: myv.triggerVersion() });
    const spec = triggerSpecFor(tt)!;
    for (const statement of tableDdl(d.dialect, tt)) await d.exec(statement);
    const folder = join(TMP, `rel-migrate-${process.pid}-${d.dialect}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(join(folder, 'meta'), { recursive: true });
    const good = renderCreateTriggers(spec);
    const writeMigration = (statements: string[]) => {
      writeFileSync(join(folder, '0000_triggers.sql'), statements.join('\n--> statement-breakpoint\n'));
      writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: d.dialect === 'pg' ? 'postgresql' : 'mysql', entries: [{ idx: 0, version: '7', when: Date.now(), tag: '0000_triggers', breakpoints: true }] }));
    };
    const migrationsTable = `__rel_migrations_${process.pid}`;
    const run = () => (d.dialect === 'pg' ? migratePg(d.db, { migrationsFolder: folder, migrationsTable, migrationsSchema: 'public' }) : migrateMysql(d.db, { migrationsFolder: folder, migrationsTable }));
    const triggerExists = async () =>
      (d.dialect === 'pg'
        ? await rows(d, `select 1 from pg_trigger where tgname = '${spec.name}'`)
        : await rows(d, `select 1 from information_schema.triggers where trigger_name = '${spec.name}' and trigger_schema = database()`)
      ).length > 0;
    try {
      writeMigration([...good, `select * from ${q('rel_no_such_table')}`]);
      const error = await rejects(run);
      console.log(`  fault ${d.name}: trigger migration failing at statement ${good.length + 1} → ${error.constructor.name}; trigger left: ${await triggerExists()}`);
      if (d.dialect === 'pg') assert.not.ok(await triggerExists(), 'PostgreSQL migrations run in one transaction: nothing applied');
      // The fixed migration (same DDL) applies over whatever is left: the DDL is idempotent.
      writeMigration(good);
      await run();
      assert.ok(await triggerExists());
      await d.exec(`insert into ${q(trig)} (id, n) values (1, 0)`);
      await d.exec(`update ${q(trig)} set n = 1`);
      const [stored] = await d.db.select().from(tt);
      assert.is(stored.version, 2);
    } finally {
      await d.exec(`drop table if exists ${q(trig)}`);
      if (d.dialect === 'pg') await d.exec(`drop function if exists ${q(spec.name)}()`);
      await d.exec(`drop table if exists ${d.dialect === 'pg' ? `"public"."${migrationsTable}"` : q(migrationsTable)}`);
      if (d.dialect === 'pg') await d.exec(`drop table if exists "drizzle"."${migrationsTable}"`);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  s.run();
}
