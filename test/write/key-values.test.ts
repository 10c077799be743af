import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatKey } from '../../src/errors.js';
import { ConfigurationError, RecordDeletedError, isChanged, versionedDelete, versionedUpdate } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import type { Dialect } from '../support/databases.js';
import { rejects } from '../support/assert-rejects.js';
import { databaseSuites } from '../support/suite.js';

/** A text-keyed and a date-keyed table (and on PostgreSQL a uuid-keyed one) per dialect. */
function keyTables(dialect: Dialect) {
  if (dialect === 'pg') {
    return {
      codes: pgc.pgTable('kv_codes', { code: pgc.varchar({ length: 20 }).primaryKey(), version: pgv.integerVersion() }),
      events: pgc.pgTable('kv_events', { at: pgc.timestamp({ precision: 3, mode: 'date' }).primaryKey(), version: pgv.integerVersion() }),
      tokens: pgc.pgTable('kv_tokens', { id: pgc.uuid().primaryKey(), version: pgv.integerVersion() }),
    };
  }
  if (dialect === 'mysql') {
    return {
      codes: my.mysqlTable('kv_codes', { code: my.varchar({ length: 20 }).primaryKey(), version: myv.integerVersion() }),
      events: my.mysqlTable('kv_events', { at: my.datetime({ mode: 'date', fsp: 3 }).primaryKey(), version: myv.integerVersion() }),
    };
  }
  return {
    codes: lite.sqliteTable('kv_codes', { code: lite.text().primaryKey(), version: litev.integerVersion() }),
    events: lite.sqliteTable('kv_events', { at: lite.integer({ mode: 'timestamp_ms' }).primaryKey(), version: litev.integerVersion() }),
  };
}

await databaseSuites('primary-key values are checked against their column before any SQL', (test, ctx) => {
  const { d, t } = ctx;
  const k = keyTables(d.dialect) as ReturnType<typeof keyTables> & { tokens?: any };
  ctx.tables.push(...Object.values(k));

  /** Every write path refuses `target` with a ConfigurationError matching `message`, sending nothing. */
  const refusedEverywhere = async (table: any, target: Record<string, unknown>, message: RegExp) => {
    const log: string[] = [];
    const logged = d.logged(log);
    await rejects(() => versionedUpdate(logged, table, target, {}), ConfigurationError, message);
    await rejects(() => versionedDelete(logged, table, target), ConfigurationError, message);
    await rejects(() => isChanged(logged, table, target), ConfigurationError, message);
    assert.equal(log, [], `no query may be sent for ${message}`);
  };

  test('integer keys: arrays, booleans, dates, strings, fractions, NaN, ±Infinity, bigints and unsafe integers are refused', async () => {
    await ctx.db.insert(t.accounts).values({ id: 1, owner: 'a' });
    const name = /target for "dc_accounts": primary key "id" must be an integer from -?\d+ to \d+ \((integer|int) column\), got /;
    const bad: [unknown, string][] = [
      [[1], '\\[1\\] \\(an array\\)'],
      [true, 'true'],
      [new Date(1), 'Date 1970-01-01T00:00:00.001Z'],
      [' 1', '" 1"'],
      ['1', '"1"'],
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
      [1n, '1n'],
      [2 ** 53, '9007199254740992'],
      [{ valueOf: () => 1 }, 'an object of class Object'],
    ];
    for (const [id, shown] of bad) {
      await refusedEverywhere(t.accounts, { id, version: 1 }, new RegExp(name.source + shown + '$'));
    }
    const [row] = await ctx.db.select().from(t.accounts);
    assert.is(row.version, 1);
  });

  if (d.dialect !== 'sqlite') {
    test('an integer key beyond its column (2147483648 for int) is refused', async () => {
      await refusedEverywhere(t.accounts, { id: 2 ** 31, version: 1 }, /primary key "id" must be an integer from -2147483648 to 2147483647 \((integer|int) column\), got 2147483648/);
    });
  }

  test('-0 is the key 0', async () => {
    await ctx.db.insert(t.accounts).values({ id: 0, owner: 'zero' });
    const saved = await versionedUpdate(ctx.db, t.accounts, { id: -0, version: 1 }, { balance: 5 });
    assert.ok(Object.is(saved.id, 0));
    assert.is(saved.version, 2);
    assert.is(await isChanged(ctx.db, t.accounts, { id: -0, version: 2 }), false);
    await versionedDelete(ctx.db, t.accounts, { id: -0, version: 2 });
  });

  test('composite keys check every part', async () => {
    await refusedEverywhere(t.memberships, { orgId: 1, userId: '1', version: 1 }, /"dc_memberships": primary key "userId" must be an integer .* got "1"$/);
  });

  test('string keys refuse numbers, arrays and dates; a string with spaces is its own key', async () => {
    await ctx.db.insert(k.codes).values({ code: '1' });
    for (const [code, shown] of [[1, '1'], [['1'], '\\["1"\\] \\(an array\\)'], [new Date(0), 'Date 1970-01-01T00:00:00.000Z']] as const) {
      await refusedEverywhere(k.codes, { code, version: 1 }, new RegExp(`"kv_codes": primary key "code" must be a string \\(\\w+(\\(20\\))? column\\), got ${shown}$`));
    }
    await rejects(() => versionedUpdate(ctx.db, k.codes, { code: ' 1', version: 1 }, {}), RecordDeletedError);
  });

  test('date keys need a valid Date; two dates 100 ms apart are two keys, and messages tell them apart', async () => {
    const at = new Date('2026-01-01T00:00:00.100Z');
    await ctx.db.insert(k.events).values({ at });
    for (const [value, shown] of [['2026-01-01T00:00:00.100Z', '"2026-01-01T00:00:00.100Z"'], [new Date(Number.NaN), 'Invalid Date'], [at.getTime(), String(at.getTime())]] as const) {
      await refusedEverywhere(k.events, { at: value, version: 1 }, new RegExp(`"kv_events": primary key "at" must be a valid Date \\(.+ column\\), got ${shown}$`));
    }
    const other = new Date('2026-01-01T00:00:00.000Z');
    const error = await rejects(() => versionedUpdate(ctx.db, k.events, { at: other, version: 1 }, {}), RecordDeletedError);
    assert.match(error.message, /\(at=2026-01-01T00:00:00\.000Z\)/);
    const saved = await versionedUpdate(ctx.db, k.events, { at, version: 1 }, {});
    assert.is(saved.version, 2);
  });

  if (d.dialect === 'pg') {
    test('uuid keys must be uuids PostgreSQL reads', async () => {
      const id = '6f1c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
      await ctx.db.insert(k.tokens).values({ id });
      for (const value of ['x', '', `${id}0`, `{${id}`, 7]) {
        await refusedEverywhere(k.tokens, { id: value, version: 1 }, /"kv_tokens": primary key "id" must be (a uuid \(uuid column\)|a string \(uuid column\))/);
      }
      assert.is((await versionedUpdate(ctx.db, k.tokens, { id: id.toUpperCase(), version: 1 }, {})).version, 2);
    });
  }
});

const keys = suite('formatKey');
keys('dates are shown with milliseconds, so keys 100 ms apart read differently', () => {
  assert.is(formatKey({ at: new Date(100) }), 'at=1970-01-01T00:00:00.100Z');
  assert.is.not(formatKey({ at: new Date(0) }), formatKey({ at: new Date(100) }));
  assert.is(formatKey({ id: 1, slug: 'a' }), "id=1, slug='a'");
});
keys.run();
