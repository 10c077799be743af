import { eq, getTableName, sql } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import type * as DrizzleKitApi from 'drizzle-kit/api';
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ConfigurationError,
  RecordModifiedError,
  applyConcurrencyCheck,
  getVersionColumn,
  isVersionColumn,
  versionedUpdate,
} from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import { triggerSpecFor } from '../../src/triggers/trigger-spec.js';
import { rejects, throwsError } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

const kit = createRequire(import.meta.url)('drizzle-kit/api') as typeof DrizzleKitApi;

const meta = suite('version column metadata');

meta('getVersionColumn reports key, column, kind and options; isVersionColumn tells columns apart', () => {
  const posts = pgc.pgTable('posts', {
    id: pgc.integer().primaryKey(),
    title: pgc.text(),
    rev: pgv.conditionalVersion('row_rev', { checkFields: ['title'] }),
  });
  const info = getVersionColumn(posts)!;
  assert.is(info.key, 'rev');
  assert.is(info.column, posts.rev);
  assert.is(info.column.name, 'row_rev');
  assert.is(info.kind, 'conditional');
  assert.equal(info.checkFields, ['title']);
  assert.ok(isVersionColumn(posts.rev));
  assert.not.ok(isVersionColumn(posts.title));
  assert.not.ok(isVersionColumn({ config: {} }));
  const plain = pgc.pgTable('plain', { id: pgc.integer().primaryKey() });
  assert.is(getVersionColumn(plain), undefined);
  const items = lite.sqliteTable('items', { id: lite.integer().primaryKey(), v: litev.triggerVersion({ triggerName: 'items_v' }) });
  assert.equal({ ...getVersionColumn(items), column: undefined }, { key: 'v', column: undefined, kind: 'trigger', triggerName: 'items_v' });
  const docs = my.mysqlTable('docs', { id: my.int().primaryKey(), version: myv.timestampVersion() });
  assert.is(getVersionColumn(docs)!.kind, 'timestamp');
});

meta('bad checkFields / ignoreFields are ConfigurationErrors naming table and key', () => {
  const unknown = pgc.pgTable('bad_fields', { id: pgc.integer().primaryKey(), v: pgv.conditionalVersion({ checkFields: ['nope'] }) });
  assert.throws(() => getVersionColumn(unknown), (e: Error) => e instanceof ConfigurationError && /"bad_fields".checkFields names "nope"/.test(e.message));
  const both = pgc.pgTable('both_fields', {
    id: pgc.integer().primaryKey(),
    a: pgc.text(),
    v: pgv.conditionalVersion({ checkFields: ['a'], ignoreFields: ['a'] }),
  });
  assert.throws(() => getVersionColumn(both), (e: Error) => e instanceof ConfigurationError && /"both_fields"."v" gives both/.test(e.message));
  const trig = my.mysqlTable('trig_fields', { id: my.int().primaryKey(), v: myv.triggerVersion({ checkFields: ['ghost'] }) });
  assert.throws(() => getVersionColumn(trig), /"trig_fields".checkFields names "ghost"/);
  const two = lite.sqliteTable('two_versions', { id: lite.integer().primaryKey(), a: litev.integerVersion(), b: litev.integerVersion() });
  assert.throws(() => getVersionColumn(two), /"two_versions" has two version columns/);
});

meta('applyConcurrencyCheck: refuses non-integer columns, unknown keys and a second version', () => {
  const users = pgc.pgTable('ext_users', { id: pgc.integer().primaryKey(), email: pgc.text(), rev: pgc.integer().notNull().default(1) });
  assert.throws(() => applyConcurrencyCheck(users, 'email'), /"ext_users"."email" is a text column \(PgText\), not an integer column/);
  assert.throws(() => applyConcurrencyCheck(users, 'missing' as never), /"ext_users" has no column key "missing"/);
  applyConcurrencyCheck(users, 'rev');
  applyConcurrencyCheck(users, 'rev');
  assert.throws(() => applyConcurrencyCheck(users, 'rev', 'timestamp'), /already has the integer version column "rev"/);
  assert.throws(() => applyConcurrencyCheck(users, 'id'), (e: Error) => e instanceof ConfigurationError);
  assert.is(getVersionColumn(users)!.key, 'rev');
});

meta('applyConcurrencyCheck refuses float, narrow and nullable columns and a default that is not a positive integer (all dialects)', () => {
  const refused = (table: any, key: string, message: RegExp, kind?: any) =>
    throwsError(() => applyConcurrencyCheck(table, key, kind), ConfigurationError, message);
  const p = pgc.pgTable('ext_p', {
    id: pgc.integer().primaryKey(),
    real: pgc.real().notNull().default(1),
    dbl: pgc.doublePrecision().notNull().default(1),
    num: pgc.numeric({ mode: 'number' }).notNull().default(1),
    small: pgc.smallint().notNull().default(1),
    int: pgc.integer().notNull().default(1),
    zero: pgc.integer().notNull().default(0),
    none: pgc.integer().notNull(),
    expr: pgc.integer().notNull().default(sql`1`),
    nullable: pgc.integer().default(1),
    big: pgc.bigint({ mode: 'number' }).notNull().default(1),
  });
  refused(p, 'real', /applyConcurrencyCheck\("ext_p", "real"\): "ext_p"."real" is a real column \(PgReal\), not an integer column/);
  refused(p, 'dbl', /"ext_p"."dbl" is a double precision column/);
  refused(p, 'num', /"ext_p"."num" is a numeric column/);
  refused(p, 'small', /"ext_p"."small" is a smallint column, which holds at most 32767: a version needs at least a 32-bit integer/);
  refused(p, 'int', /holds at most 2147483647: a timestamp version needs a 64-bit integer/, 'timestamp');
  refused(p, 'zero', /"ext_p"."zero" has the default 0: a version column needs a positive integer default/);
  refused(p, 'none', /"ext_p"."none" has no default: a version column needs a positive integer default/);
  refused(p, 'expr', /"ext_p"."expr" has the default of an SQL expression/);
  refused(p, 'nullable', /"ext_p"."nullable" is nullable/);
  refused(p, 'int', /kind must be one of integer, timestamp, trigger, conditional, got bogus/, 'bogus');
  assert.is(getVersionColumn(p), undefined);
  applyConcurrencyCheck(p, 'big', 'timestamp');
  assert.is(getVersionColumn(p)!.key, 'big');

  const m = my.mysqlTable('ext_m', {
    id: my.int().primaryKey(),
    tiny: my.tinyint().notNull().default(1),
    small: my.smallint({ unsigned: true }).notNull().default(1),
    medium: my.mediumint({ unsigned: true }).notNull().default(1),
    dbl: my.double().notNull().default(1),
    flt: my.float().notNull().default(1),
    real: my.real().notNull().default(1),
    dec: my.decimal({ mode: 'number' }).notNull().default(1),
    zero: my.int().notNull().default(0),
    uint: my.int({ unsigned: true }).notNull().default(1),
  });
  refused(m, 'tiny', /"ext_m"."tiny" is a tinyint column, which holds at most 127/);
  refused(m, 'small', /"ext_m"."small" is a smallint unsigned column, which holds at most 65535/);
  refused(m, 'medium', /"ext_m"."medium" is a mediumint unsigned column, which holds at most 16777215/);
  refused(m, 'dbl', /"ext_m"."dbl" is a double column \(MySqlDouble\), not an integer column/);
  refused(m, 'flt', /"ext_m"."flt" is a float column/);
  refused(m, 'real', /"ext_m"."real" is a real column/);
  refused(m, 'dec', /"ext_m"."dec" is a decimal column/);
  refused(m, 'zero', /"ext_m"."zero" has the default 0/);
  applyConcurrencyCheck(m, 'uint');

  const l = lite.sqliteTable('ext_l', {
    id: lite.integer().primaryKey(),
    real: lite.real().notNull().default(1),
    num: lite.numeric({ mode: 'number' }).notNull().default(1),
    none: lite.integer().notNull(),
    rev: lite.integer().notNull().default(1),
  });
  refused(l, 'real', /"ext_l"."real" is a real column \(SQLiteReal\), not an integer column/);
  refused(l, 'num', /"ext_l"."num" is a numeric column/);
  refused(l, 'none', /"ext_l"."none" has no default/);
  applyConcurrencyCheck(l, 'rev', 'timestamp');
});

meta('triggerSpecFor applies the casing option to columns named by their key', () => {
  const items = pgc.pgTable('items', { itemId: pgc.integer().primaryKey(), unitPrice: pgc.integer(), rowVersion: pgv.triggerVersion({ checkFields: ['unitPrice'] }) });
  const plain = triggerSpecFor(items)!;
  assert.equal([plain.column, plain.keyColumns, plain.checkColumns, plain.name], ['rowVersion', ['itemId'], ['unitPrice'], 'concurrency_items_rowVersion']);
  const snake = triggerSpecFor(items, { casing: 'snake_case' })!;
  assert.equal([snake.column, snake.keyColumns, snake.checkColumns, snake.name], ['row_version', ['item_id'], ['unit_price'], 'concurrency_items_row_version']);
});

function sameDdl(title: string, versioned: Record<string, unknown>, plain: Record<string, unknown>, render: (s: Record<string, unknown>) => Promise<string[]>) {
  meta(`drizzle-kit emits the same DDL as a plain column (${title})`, async () => {
    const a = await render(versioned);
    const b = await render(plain);
    assert.ok(a.length > 0);
    assert.equal(a, b);
  });
}

const pgRender = async (s: Record<string, unknown>) =>
  kit.generateMigration(kit.generateDrizzleJson({}), kit.generateDrizzleJson(s));
sameDdl(
  'pg',
  { t: pgc.pgTable('t', { id: pgc.integer().primaryKey(), a: pgv.integerVersion(), b: pgv.timestampVersion('b'), c: pgv.triggerVersion('c'), d: pgv.conditionalVersion('d') }) },
  {
    t: pgc.pgTable('t', {
      id: pgc.integer().primaryKey(),
      a: pgc.integer().notNull().default(1),
      b: pgc.bigint('b', { mode: 'number' }).notNull().default(1),
      c: pgc.integer('c').notNull().default(1),
      d: pgc.integer('d').notNull().default(1),
    }),
  },
  pgRender,
);
const myRender = async (s: Record<string, unknown>) =>
  kit.generateMySQLMigration(await kit.generateMySQLDrizzleJson({}), await kit.generateMySQLDrizzleJson(s));
sameDdl(
  'mysql',
  { t: my.mysqlTable('t', { id: my.int().primaryKey(), a: myv.integerVersion(), b: myv.timestampVersion(), c: myv.triggerVersion(), d: myv.conditionalVersion() }) },
  {
    t: my.mysqlTable('t', {
      id: my.int().primaryKey(),
      a: my.int().notNull().default(1),
      b: my.bigint({ mode: 'number' }).notNull().default(1),
      c: my.int().notNull().default(1),
      d: my.int().notNull().default(1),
    }),
  },
  myRender,
);
const liteRender = async (s: Record<string, unknown>) =>
  kit.generateSQLiteMigration(await kit.generateSQLiteDrizzleJson({}), await kit.generateSQLiteDrizzleJson(s));
sameDdl(
  'sqlite',
  { t: lite.sqliteTable('t', { id: lite.integer().primaryKey(), a: litev.integerVersion(), b: litev.timestampVersion(), c: litev.triggerVersion(), d: litev.conditionalVersion() }) },
  {
    t: lite.sqliteTable('t', {
      id: lite.integer().primaryKey(),
      a: lite.integer().notNull().default(1),
      b: lite.integer().notNull().default(1),
      c: lite.integer().notNull().default(1),
      d: lite.integer().notNull().default(1),
    }),
  },
  liteRender,
);

meta.run();

await databaseSuites('applyConcurrencyCheck on a table you do not own', (test, { db, t }) => {
  test('marks the column: checked writes, plain updates bump, a second call changes nothing', async () => {
    applyConcurrencyCheck(t.pluginUsers, 'revision');
    applyConcurrencyCheck(t.pluginUsers, 'revision');
    assert.is(getVersionColumn(t.pluginUsers)!.key, 'revision');
    await db.insert(t.pluginUsers).values({ id: 1, email: 'a@x' });
    const [user] = await db.select().from(t.pluginUsers);
    const saved = await versionedUpdate(db, t.pluginUsers, user, { email: 'b@x' });
    assert.is(saved.revision, 2);
    await rejects(() => versionedUpdate(db, t.pluginUsers, user, { email: 'c@x' }), RecordModifiedError, new RegExp(`"${getTableName(t.pluginUsers)}"`));
    await db.update(t.pluginUsers).set({ email: 'd@x' }).where(eq(t.pluginUsers.id, 1));
    const [after] = await db.select().from(t.pluginUsers);
    assert.is(after.revision, 3);
  });
});
