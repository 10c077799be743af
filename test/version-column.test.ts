import { eq, getTableName } from 'drizzle-orm';
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
} from '../src/index.js';
import * as myv from '../src/mysql/index.js';
import * as pgv from '../src/pg/index.js';
import * as litev from '../src/sqlite/index.js';
import { triggerSpecFor } from '../src/trigger-spec.js';
import { rejects } from './support/assert-rejects.js';
import { databaseSuites } from './support/suite.js';

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
  assert.throws(() => applyConcurrencyCheck(users, 'email'), /"ext_users"."email" is a PgText, not an integer column/);
  assert.throws(() => applyConcurrencyCheck(users, 'missing'), /"ext_users" has no column key "missing"/);
  applyConcurrencyCheck(users, 'rev');
  applyConcurrencyCheck(users, 'rev');
  assert.throws(() => applyConcurrencyCheck(users, 'rev', 'timestamp'), /already has the integer version column "rev"/);
  assert.throws(() => applyConcurrencyCheck(users, 'id'), (e: Error) => e instanceof ConfigurationError);
  assert.is(getVersionColumn(users)!.key, 'rev');
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
