import { sql } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import type { Dialect } from './databases.js';

/** A table with a stored generated column (and on PostgreSQL an always-identity column), with its DDL. */
export function generatedTable(dialect: Dialect): { table: any; ddl: string[] } {
  const drop = 'drop table if exists gen_rows';
  if (dialect === 'pg') {
    return {
      table: pgc.pgTable('gen_rows', {
        id: pgc.integer().primaryKey(),
        a: pgc.integer(),
        doubled: pgc.integer().generatedAlwaysAs(sql`a * 2`),
        ident: pgc.integer().generatedAlwaysAsIdentity(),
        version: pgv.integerVersion(),
      }),
      ddl: [drop, 'create table gen_rows (id integer primary key, a integer, doubled integer generated always as (a * 2) stored, ident integer generated always as identity, version integer not null default 1)'],
    };
  }
  if (dialect === 'mysql') {
    return {
      table: my.mysqlTable('gen_rows', { id: my.int().primaryKey(), a: my.int(), doubled: my.int().generatedAlwaysAs(sql`a * 2`), version: myv.integerVersion() }),
      ddl: [drop, 'create table gen_rows (id int primary key, a int, doubled int generated always as (a * 2) stored, version int not null default 1)'],
    };
  }
  return {
    table: lite.sqliteTable('gen_rows', { id: lite.integer().primaryKey(), a: lite.integer(), doubled: lite.integer().generatedAlwaysAs(sql`a * 2`), version: litev.integerVersion() }),
    ddl: [drop, 'create table gen_rows (id integer primary key, a integer, doubled integer generated always as (a * 2) stored, version integer not null default 1)'],
  };
}

