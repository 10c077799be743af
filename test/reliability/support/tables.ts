/**
 * The reliability suites' own tables (`rel_` prefix, so they never collide with the `dc_*`
 * tables other suites drop and recreate), declared per dialect with the same TS keys.
 */
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import * as myv from '../../../src/mysql/index.js';
import * as pgv from '../../../src/pg/index.js';
import * as litev from '../../../src/sqlite/index.js';
import type { Dialect } from '../../support/databases.js';

/** `{ id, n, version }`: a counter row with an integer version, named `name`. */
export function counterTable(dialect: Dialect, name: string): any {
  if (dialect === 'pg') return pgc.pgTable(name, { id: pgc.integer().primaryKey(), n: pgc.integer().notNull().default(0), version: pgv.integerVersion() });
  if (dialect === 'mysql') return my.mysqlTable(name, { id: my.int().primaryKey(), n: my.int().notNull().default(0), version: myv.integerVersion() });
  return lite.sqliteTable(name, { id: lite.integer().primaryKey(), n: lite.integer().notNull().default(0), version: litev.integerVersion() });
}
