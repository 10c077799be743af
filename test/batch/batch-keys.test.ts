/**
 * Batches let the database decide which row a key names: an uppercase uuid for a lowercase
 * stored one, a `char(n)` key with or without its padding, a case-insensitive collation. The
 * row the database matched is reported as updated (never as a conflict), two items naming one
 * row are refused before anything is applied, and keys the database tells apart are never
 * refused as duplicates.
 */
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import * as assert from 'uvu/assert';
import { ConfigurationError, versionedDeleteMany, versionedUpdateMany } from '../../src/index.js';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import { rejects } from '../support/assert-rejects.js';
import type { Dialect } from '../support/databases.js';
import { databaseSuites } from '../support/suite.js';

/** A table keyed by `code`, the DDL that gives the key its database semantics, a stored key and another spelling of it. */
interface KeyCase {
  name: string;
  table: any;
  ddl: string;
  stored: string;
  spelled: string;
  /** Two more keys: another row's, and where the batch moves the first row. */
  other?: string;
  moved?: string;
  /** The stored key as the driver reads it back. */
  read: (code: string) => string;
}

const same = (code: string) => code;
const padded = (n: number) => (code: string) => code.padEnd(n, ' ');

function keyCases(dialect: Dialect): KeyCase[] {
  if (dialect === 'pg') {
    const { pgTable, uuid, char, varchar } = pgc;
    return [
      {
        name: 'uuid, given in uppercase',
        table: pgTable('dc_keyed_uuid', { code: uuid().primaryKey(), label: varchar({ length: 20 }), version: pgv.integerVersion() }),
        ddl: 'create table dc_keyed_uuid (code uuid primary key, label varchar(20), version integer not null default 1)',
        stored: '6f1c2a9e-0000-4000-8000-00000000000a',
        spelled: '6F1C2A9E-0000-4000-8000-00000000000A',
        other: '6f1c2a9e-0000-4000-8000-00000000000b',
        moved: '6f1c2a9e-0000-4000-8000-0000000000ff',
        read: same,
      },
      {
        name: 'char(5), given without its padding',
        table: pgTable('dc_keyed_char', { code: char({ length: 5 }).primaryKey(), label: varchar({ length: 20 }), version: pgv.integerVersion() }),
        ddl: 'create table dc_keyed_char (code char(5) primary key, label varchar(20), version integer not null default 1)',
        stored: 'ab',
        spelled: 'ab',
        read: padded(5),
      },
    ];
  }
  if (dialect === 'mysql') {
    const { mysqlTable, char, varchar } = my;
    return [
      {
        name: 'char(5), given with trailing spaces',
        table: mysqlTable('dc_keyed_char', { code: char({ length: 5 }).primaryKey(), label: varchar({ length: 20 }), version: myv.integerVersion() }),
        ddl: 'create table dc_keyed_char (code char(5) primary key, label varchar(20), version int not null default 1)',
        stored: 'ab',
        spelled: 'ab  ',
        read: same,
      },
      {
        name: 'case-insensitive collation, given in uppercase',
        table: mysqlTable('dc_keyed_ci', { code: varchar({ length: 20 }).primaryKey(), label: varchar({ length: 20 }), version: myv.integerVersion() }),
        ddl: 'create table dc_keyed_ci (code varchar(20) collate utf8mb4_general_ci primary key, label varchar(20), version int not null default 1)',
        stored: 'abc',
        spelled: 'ABC',
        read: same,
      },
    ];
  }
  const { sqliteTable, text } = lite;
  return [
    {
      name: 'collate nocase, given in uppercase',
      table: sqliteTable('dc_keyed_nocase', { code: text().primaryKey(), label: text(), version: litev.integerVersion() }),
      ddl: 'create table dc_keyed_nocase (code text collate nocase primary key, label text, version integer not null default 1)',
      stored: 'abc',
      spelled: 'ABC',
      read: same,
    },
  ];
}

/** A table keyed by a millisecond timestamp: two keys 100 ms apart are two rows. */
function timeKeyed(dialect: Dialect): { table: any; ddl: string } {
  if (dialect === 'pg') {
    const table = pgc.pgTable('dc_keyed_time', { at: pgc.timestamp({ precision: 3 }).primaryKey(), label: pgc.varchar({ length: 20 }), version: pgv.integerVersion() });
    return { table, ddl: 'create table dc_keyed_time (at timestamp(3) primary key, label varchar(20), version integer not null default 1)' };
  }
  if (dialect === 'mysql') {
    const table = my.mysqlTable('dc_keyed_time', { at: my.datetime({ fsp: 3 }).primaryKey(), label: my.varchar({ length: 20 }), version: myv.integerVersion() });
    return { table, ddl: 'create table dc_keyed_time (at datetime(3) primary key, label varchar(20), version int not null default 1)' };
  }
  const table = lite.sqliteTable('dc_keyed_time', { at: lite.integer({ mode: 'timestamp_ms' }).primaryKey(), label: lite.text(), version: litev.integerVersion() });
  return { table, ddl: 'create table dc_keyed_time (at integer primary key, label text, version integer not null default 1)' };
}

await databaseSuites('batches match keys as the database does', (test, { d, db }) => {
  const create = async (name: string, ddl: string) => {
    await d.exec(`drop table if exists ${name}`);
    await d.exec(ddl);
  };
  for (const c of keyCases(d.dialect)) {
    const { table } = c;
    const tableName = /create table (\w+)/.exec(c.ddl)![1]!;
    const fresh = async () => {
      await create(tableName, c.ddl);
      await db.insert(table).values({ code: c.stored, label: 'old' });
    };
    const stored = async () => (await db.select().from(table)).map((r: any) => [r.code, r.label, r.version]);

    test(`${c.name}: updated and reported as updated, under both policies`, async () => {
      await fresh();
      const silent = await versionedUpdateMany(db, table, [{ target: { code: c.spelled, version: 1 }, changes: { label: 'new' } }], { policy: 'silent' });
      assert.equal(silent.conflicts, []);
      assert.equal(silent.updated.map((r: any) => [r.code, r.label, r.version]), [[c.read(c.stored), 'new', 2]]);
      const abort = await versionedUpdateMany(db, table, [{ target: { code: c.spelled, version: 2 }, changes: { label: 'again' } }]);
      assert.equal(abort.updated.map((r: any) => r.label), ['again']);
      assert.equal(await stored(), [[c.read(c.stored), 'again', 3]]);
    });

    test(`${c.name}: a batch that moves the key maps the row to its item`, async () => {
      await fresh();
      const other = c.other ?? 'zz';
      const moved = c.moved ?? 'moved';
      await db.insert(table).values({ code: other, label: 'other' });
      const { updated, conflicts } = await versionedUpdateMany(
        db,
        table,
        [
          { target: { code: other, version: 1 }, changes: { label: 'kept' } },
          { target: { code: c.spelled, version: 1 }, changes: { code: moved, label: 'moved' } },
        ],
        { policy: 'silent' },
      );
      assert.equal(conflicts, []);
      assert.equal(updated.map((r: any) => [r.code.trimEnd(), r.label, r.version]), [[other, 'kept', 2], [moved, 'moved', 2]]);
    });

    test(`${c.name}: two items the database calls one row are refused, nothing applied`, async () => {
      await fresh();
      const items = [
        { target: { code: c.stored, version: 1 }, changes: { label: 'a' } },
        { target: { code: c.spelled, version: 1 }, changes: { label: 'b' } },
      ];
      if (c.stored === c.spelled) items[1]!.target.code = `${c.stored} `; // PostgreSQL char(n): a trailing space is padding
      for (const policy of ['abort', 'silent'] as const) {
        await rejects(() => versionedUpdateMany(db, table, items, { policy }), ConfigurationError, /twice: items 0 and 1/);
        await rejects(() => versionedDeleteMany(db, table, items.map((i) => i.target), { policy }), ConfigurationError, /twice/);
      }
      assert.equal(await stored(), [[c.read(c.stored), 'old', 1]]);
    });

    test(`${c.name}: deleted and reported as deleted`, async () => {
      await fresh();
      const { deleted, conflicts } = await versionedDeleteMany(db, table, [{ code: c.spelled, version: 1 }], { policy: 'silent' });
      assert.equal(conflicts, []);
      assert.equal(deleted, [{ code: c.spelled, version: 1 }]);
      assert.equal(await stored(), []);
    });
  }

  test('keys the database tells apart are not duplicates: two timestamps 100 ms apart', async () => {
    const { table, ddl } = timeKeyed(d.dialect);
    await create('dc_keyed_time', ddl);
    const a = new Date('2026-01-01T00:00:00.100Z');
    const b = new Date('2026-01-01T00:00:00.200Z');
    await db.insert(table).values([{ at: a, label: 'a' }, { at: b, label: 'b' }]);
    const { updated } = await versionedUpdateMany(db, table, [
      { target: { at: a, version: 1 }, changes: { label: 'A' } },
      { target: { at: b, version: 1 }, changes: { label: 'B' } },
    ]);
    assert.equal(updated.map((r: any) => [r.at.getTime(), r.label]), [[a.getTime(), 'A'], [b.getTime(), 'B']]);
    const { deleted } = await versionedDeleteMany(db, table, updated);
    assert.is(deleted.length, 2);
  });
});
