/**
 * The sample values of the generated suites, per built-in column type of each dialect, against the
 * real databases: the inserted value is accepted, the change is accepted and reads back
 * different, unique columns get distinct values per row, and enums keep their literal types.
 */
import { eq, getTableColumns, sql, type Column, type Table } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as pg from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import { transformSync } from 'esbuild';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canSample, sample, sampleValue } from '../../codegen/tests/sample-values.js';
import { testDatabases, type Dialect } from '../support/databases.js';
import { tableDdl } from '../support/ddl.js';

const mood = pg.pgEnum('dc_sample_mood', ['calm', 'busy']);
const citext = pg.customType<{ data: string }>({ dataType: () => 'text' });

/** One NOT NULL column of every built-in type (vector and PostGIS types need extensions: their expressions are checked offline below). */
const TABLES: Record<Dialect, Table> = {
  pg: pg.pgTable('dc_samples', {
    id: pg.integer().primaryKey(),
    uuid: pg.uuid().notNull(),
    text: pg.text().notNull(),
    varchar: pg.varchar({ length: 5 }).notNull(),
    char: pg.char({ length: 1 }).notNull(),
    dateString: pg.date().notNull(),
    date: pg.date({ mode: 'date' }).notNull(),
    timestamp: pg.timestamp().notNull(),
    timestampString: pg.timestamp({ mode: 'string', withTimezone: true }).notNull(),
    time: pg.time().notNull(),
    interval: pg.interval({ fields: 'hour to minute' }).notNull(),
    json: pg.json().notNull(),
    jsonb: pg.jsonb().notNull(),
    numeric: pg.numeric({ precision: 4, scale: 2 }).notNull(),
    fraction: pg.numeric({ precision: 2, scale: 2 }).notNull(),
    numericNumber: pg.numeric({ mode: 'number' }).notNull(),
    numericBigint: pg.numeric({ mode: 'bigint' }).notNull(),
    bigint53: pg.bigint({ mode: 'number' }).notNull(),
    bigint64: pg.bigint({ mode: 'bigint' }).notNull(),
    smallint: pg.smallint().notNull(),
    real: pg.real().notNull(),
    double: pg.doublePrecision().notNull(),
    boolean: pg.boolean().notNull(),
    inet: pg.inet().notNull(),
    cidr: pg.cidr().notNull(),
    macaddr: pg.macaddr().notNull(),
    macaddr8: pg.macaddr8().notNull(),
    point: pg.point().notNull(),
    pointXy: pg.point({ mode: 'xy' }).notNull(),
    line: pg.line().notNull(),
    lineAbc: pg.line({ mode: 'abc' }).notNull(),
    array: pg.integer().array().notNull(),
    enum: mood().notNull(),
    textEnum: pg.text({ enum: ['a', 'b'] }).notNull(),
  }),
  mysql: my.mysqlTable('dc_samples', {
    id: my.int().primaryKey(),
    int: my.int().notNull(),
    tinyint: my.tinyint().notNull(),
    smallint: my.smallint().notNull(),
    mediumint: my.mediumint().notNull(),
    bigint53: my.bigint({ mode: 'number' }).notNull(),
    bigint64: my.bigint({ mode: 'bigint', unsigned: true }).notNull(),
    decimal: my.decimal({ precision: 5, scale: 2 }).notNull(),
    decimalNumber: my.decimal({ mode: 'number' }).notNull(),
    decimalBigint: my.decimal({ mode: 'bigint' }).notNull(),
    double: my.double().notNull(),
    float: my.float().notNull(),
    char: my.char({ length: 3 }).notNull(),
    varchar: my.varchar({ length: 10 }).notNull(),
    text: my.text().notNull(),
    tinytext: my.tinytext().notNull(),
    binary: my.binary({ length: 4 }).notNull(),
    varbinary: my.varbinary({ length: 8 }).notNull(),
    boolean: my.boolean().notNull(),
    date: my.date().notNull(),
    dateString: my.date({ mode: 'string' }).notNull(),
    datetime: my.datetime().notNull(),
    datetimeString: my.datetime({ mode: 'string', fsp: 3 }).notNull(),
    timestamp: my.timestamp().notNull(),
    timestampString: my.timestamp({ mode: 'string' }).notNull(),
    time: my.time().notNull(),
    year: my.year().notNull(),
    json: my.json().notNull(),
    enum: my.mysqlEnum(['calm', 'busy']).notNull(),
    varcharEnum: my.varchar({ length: 5, enum: ['q', 'r'] }).notNull(),
  }),
  sqlite: lite.sqliteTable('dc_samples', {
    id: lite.integer().primaryKey(),
    integer: lite.integer().notNull(),
    timestamp: lite.integer({ mode: 'timestamp' }).notNull(),
    timestampMs: lite.integer({ mode: 'timestamp_ms' }).notNull(),
    boolean: lite.integer({ mode: 'boolean' }).notNull(),
    text: lite.text().notNull(),
    short: lite.text({ length: 4 }).notNull(),
    json: lite.text({ mode: 'json' }).notNull(),
    enum: lite.text({ enum: ['a', 'b'] }).notNull(),
    blob: lite.blob({ mode: 'buffer' }).notNull(),
    blobBigint: lite.blob({ mode: 'bigint' }).notNull(),
    blobJson: lite.blob({ mode: 'json' }).notNull(),
    numeric: lite.numeric().notNull(),
    numericNumber: lite.numeric({ mode: 'number' }).notNull(),
    numericBigint: lite.numeric({ mode: 'bigint' }).notNull(),
    real: lite.real().notNull(),
  }),
};

/** Evaluates a generated TS expression for row `id`. */
function evaluate(expression: string, id: number): unknown {
  const js = transformSync(`(${expression})`, { loader: 'ts' }).code.trim().replace(/;$/, '');
  return new Function('id', 'Buffer', `return ${js}`)(id, Buffer);
}

function values(table: Table, variant: 'insert' | 'change', id: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, Column][]) {
    if (key === 'id') continue;
    out[key] = evaluate(sample(column, false)![variant]!, id);
  }
  return out;
}

const comparable = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

const offline = suite('sample values (offline)');

offline('every built-in column type has an insert and a different change value; custom types have none', () => {
  for (const table of Object.values(TABLES)) {
    for (const [key, column] of Object.entries(getTableColumns(table)) as [string, Column][]) {
      assert.ok(canSample(column), key);
      assert.is.not(comparable(evaluate(sampleValue(column, 'insert')!, 5)), comparable(evaluate(sampleValue(column, 'change')!, 6)), key);
    }
  }
  const custom = pg.pgTable('c', { c: citext().notNull() });
  assert.is(sampleValue(custom.c, 'insert'), undefined);
});

offline('extension types (vector, halfvec, bit, sparsevec, geometry) get values of their shape', () => {
  const t = pg.pgTable('x', {
    vector: pg.vector({ dimensions: 3 }),
    halfvec: pg.halfvec({ dimensions: 2 }),
    bit: pg.bit({ dimensions: 4 }),
    sparsevec: pg.sparsevec({ dimensions: 5 }),
    geometry: pg.geometry({ type: 'point' }),
    geometryXy: pg.geometry({ type: 'point', mode: 'xy' }),
  });
  assert.equal(evaluate(sampleValue(t.vector, 'insert')!, 1), [1, 1, 1]);
  assert.equal(evaluate(sampleValue(t.halfvec, 'change')!, 1), [2, 2]);
  assert.is(evaluate(sampleValue(t.bit, 'insert')!, 1), '0000');
  assert.is(evaluate(sampleValue(t.sparsevec, 'insert')!, 1), '{1:1}/5');
  assert.equal(evaluate(sampleValue(t.geometry, 'insert')!, 1), [1, 2]);
  assert.equal(evaluate(sampleValue(t.geometryXy, 'change')!, 1), { x: 3, y: 4 });
});

offline('enums keep their literal types; a one-value enum has no change; uuids are uuids', () => {
  const t = pg.pgTable('e', { one: pg.text({ enum: ['only'] }).notNull(), id: pg.uuid() });
  assert.is(sampleValue(getTableColumns(TABLES.pg)['enum']!, 'insert'), '"calm" as const');
  assert.is(sampleValue(t.one, 'change'), undefined);
  assert.match(String(evaluate(sampleValue(t.id, 'insert')!, 42)), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

offline('unique columns get distinct values per row', () => {
  for (const table of Object.values(TABLES)) {
    for (const [key, column] of Object.entries(getTableColumns(table)) as [string, Column][]) {
      if ((column as unknown as { enumValues?: unknown[] }).enumValues || column.dataType === 'boolean' || column.dataType === 'json' || /Interval|Point|Line|Geometry/.test(column.columnType)) continue;
      const one = sample(column, true)!;
      assert.is.not(comparable(evaluate(one.insert, 11)), comparable(evaluate(one.insert, 12)), key);
    }
  }
});

offline.run();

for (const d of await testDatabases()) {
  const table = TABLES[d.dialect];
  const s = suite(`sample values [${d.name}]`);
  s.before(async () => {
    if (d.dialect === 'pg') {
      await d.exec(`drop table if exists "dc_samples"`);
      await d.exec(`drop type if exists "dc_sample_mood"`);
      await d.exec(`create type "dc_sample_mood" as enum ('calm', 'busy')`);
    }
    for (const statement of tableDdl(d.dialect, table)) await d.exec(statement);
  });
  s.after(async () => {
    await d.exec(`drop table if exists ${d.dialect === 'mysql' ? '`dc_samples`' : '"dc_samples"'}`);
    if (d.dialect === 'pg') await d.exec(`drop type if exists "dc_sample_mood"`);
  });

  s('the inserted values are accepted; the change is accepted and reads back different in every column', async () => {
    const id = (table as unknown as { id: Column }).id;
    await d.db.insert(table).values({ id: 1, ...values(table, 'insert', 1) });
    const [inserted] = await d.db.select().from(table).where(eq(id, 1));
    await d.db.update(table).set(values(table, 'change', 2)).where(eq(id, 1));
    const [changed] = await d.db.select().from(table).where(eq(id, 1));
    for (const key of Object.keys(values(table, 'insert', 1))) assert.is.not(comparable(changed[key]), comparable(inserted[key]), key);
    await d.db.delete(table).where(sql`1 = 1`);
  });

  s.run();
}
