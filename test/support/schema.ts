/**
 * The same test tables declared for each dialect, with the same TS keys, so one scenario
 * runs everywhere.
 */
import { sql } from 'drizzle-orm';
import * as my from 'drizzle-orm/mysql-core';
import * as pgc from 'drizzle-orm/pg-core';
import * as lite from 'drizzle-orm/sqlite-core';
import * as myv from '../../src/mysql/index.js';
import * as pgv from '../../src/pg/index.js';
import * as litev from '../../src/sqlite/index.js';
import type { Dialect } from './databases.js';

function pgSchema(p: string) {
  const { pgTable, integer, varchar, primaryKey } = pgc;
  return {
    accounts: pgTable(`${p}accounts`, {
      id: integer().primaryKey(),
      owner: varchar({ length: 100 }).notNull(),
      balance: integer().notNull().default(0),
      note: varchar({ length: 100 }),
      version: pgv.integerVersion(),
    }),
    docs: pgTable(`${p}docs`, { id: integer().primaryKey(), body: varchar({ length: 100 }), version: pgv.timestampVersion() }),
    items: pgTable(`${p}items`, {
      id: integer().primaryKey(),
      name: varchar({ length: 100 }),
      price: integer(),
      version: pgv.triggerVersion(),
    }),
    priced: pgTable(`${p}priced`, {
      id: integer().primaryKey(),
      name: varchar({ length: 100 }),
      sku: varchar({ length: 20 }),
      price: integer(),
      version: pgv.triggerVersion('row_version', { checkFields: ['price', 'sku'] }),
    }),
    posts: pgTable(`${p}posts`, {
      id: integer().primaryKey(),
      title: varchar({ length: 100 }),
      body: varchar({ length: 100 }),
      views: integer().notNull().default(0),
      version: pgv.conditionalVersion({ checkFields: ['title', 'body'] }),
    }),
    memberships: pgTable(
      `${p}memberships`,
      {
        orgId: integer('org_id').notNull(),
        userId: integer('user_id').notNull(),
        role: varchar({ length: 20 }).notNull(),
        version: pgv.integerVersion(),
      },
      (t) => [primaryKey({ columns: [t.orgId, t.userId] })],
    ),
    pluginUsers: pgTable(`${p}plugin_users`, {
      id: integer().primaryKey(),
      email: varchar({ length: 100 }),
      revision: integer().notNull().default(1),
    }),
    notes: pgTable(`${p}notes`, { id: integer().primaryKey(), text: varchar({ length: 100 }) }),
    badFields: pgTable(`${p}bad_fields`, { id: integer().primaryKey(), a: integer(), version: pgv.conditionalVersion({ checkFields: ['a', 'ghost'] }) }),
    bothFields: pgTable(`${p}both_fields`, {
      id: integer().primaryKey(),
      a: integer(),
      version: pgv.conditionalVersion({ checkFields: ['a'], ignoreFields: ['id'] }),
    }),
    stamped: pgTable(`${p}stamped`, {
      id: integer().primaryKey(),
      label: varchar({ length: 100 }),
      touchedAt: integer('touched_at').notNull().default(5).$onUpdate(() => sql`1 + 41`),
      version: pgv.integerVersion(),
    }),
  };
}

function mysqlSchema(p: string) {
  const { mysqlTable, int, varchar, primaryKey } = my;
  return {
    accounts: mysqlTable(`${p}accounts`, {
      id: int().primaryKey(),
      owner: varchar({ length: 100 }).notNull(),
      balance: int().notNull().default(0),
      note: varchar({ length: 100 }),
      version: myv.integerVersion(),
    }),
    docs: mysqlTable(`${p}docs`, { id: int().primaryKey(), body: varchar({ length: 100 }), version: myv.timestampVersion() }),
    items: mysqlTable(`${p}items`, {
      id: int().primaryKey(),
      name: varchar({ length: 100 }),
      price: int(),
      version: myv.triggerVersion(),
    }),
    priced: mysqlTable(`${p}priced`, {
      id: int().primaryKey(),
      name: varchar({ length: 100 }),
      sku: varchar({ length: 20 }),
      price: int(),
      version: myv.triggerVersion('row_version', { checkFields: ['price', 'sku'] }),
    }),
    posts: mysqlTable(`${p}posts`, {
      id: int().primaryKey(),
      title: varchar({ length: 100 }),
      body: varchar({ length: 100 }),
      views: int().notNull().default(0),
      version: myv.conditionalVersion({ checkFields: ['title', 'body'] }),
    }),
    memberships: mysqlTable(
      `${p}memberships`,
      {
        orgId: int('org_id').notNull(),
        userId: int('user_id').notNull(),
        role: varchar({ length: 20 }).notNull(),
        version: myv.integerVersion(),
      },
      (t) => [primaryKey({ columns: [t.orgId, t.userId] })],
    ),
    pluginUsers: mysqlTable(`${p}plugin_users`, {
      id: int().primaryKey(),
      email: varchar({ length: 100 }),
      revision: int().notNull().default(1),
    }),
    notes: mysqlTable(`${p}notes`, { id: int().primaryKey(), text: varchar({ length: 100 }) }),
    badFields: mysqlTable(`${p}bad_fields`, { id: int().primaryKey(), a: int(), version: myv.conditionalVersion({ checkFields: ['a', 'ghost'] }) }),
    bothFields: mysqlTable(`${p}both_fields`, {
      id: int().primaryKey(),
      a: int(),
      version: myv.conditionalVersion({ checkFields: ['a'], ignoreFields: ['id'] }),
    }),
    stamped: mysqlTable(`${p}stamped`, {
      id: int().primaryKey(),
      label: varchar({ length: 100 }),
      touchedAt: int('touched_at').notNull().default(5).$onUpdate(() => sql`1 + 41`),
      version: myv.integerVersion(),
    }),
  };
}

function sqliteSchema(p: string) {
  const { sqliteTable, integer, text, primaryKey } = lite;
  return {
    accounts: sqliteTable(`${p}accounts`, {
      id: integer().primaryKey(),
      owner: text().notNull(),
      balance: integer().notNull().default(0),
      note: text(),
      version: litev.integerVersion(),
    }),
    docs: sqliteTable(`${p}docs`, { id: integer().primaryKey(), body: text(), version: litev.timestampVersion() }),
    items: sqliteTable(`${p}items`, { id: integer().primaryKey(), name: text(), price: integer(), version: litev.triggerVersion() }),
    priced: sqliteTable(`${p}priced`, {
      id: integer().primaryKey(),
      name: text(),
      sku: text(),
      price: integer(),
      version: litev.triggerVersion('row_version', { checkFields: ['price', 'sku'] }),
    }),
    posts: sqliteTable(`${p}posts`, {
      id: integer().primaryKey(),
      title: text(),
      body: text(),
      views: integer().notNull().default(0),
      version: litev.conditionalVersion({ checkFields: ['title', 'body'] }),
    }),
    memberships: sqliteTable(
      `${p}memberships`,
      {
        orgId: integer('org_id').notNull(),
        userId: integer('user_id').notNull(),
        role: text().notNull(),
        version: litev.integerVersion(),
      },
      (t) => [primaryKey({ columns: [t.orgId, t.userId] })],
    ),
    pluginUsers: sqliteTable(`${p}plugin_users`, { id: integer().primaryKey(), email: text(), revision: integer().notNull().default(1) }),
    notes: sqliteTable(`${p}notes`, { id: integer().primaryKey(), text: text() }),
    badFields: sqliteTable(`${p}bad_fields`, { id: integer().primaryKey(), a: integer(), version: litev.conditionalVersion({ checkFields: ['a', 'ghost'] }) }),
    bothFields: sqliteTable(`${p}both_fields`, {
      id: integer().primaryKey(),
      a: integer(),
      version: litev.conditionalVersion({ checkFields: ['a'], ignoreFields: ['id'] }),
    }),
    stamped: sqliteTable(`${p}stamped`, {
      id: integer().primaryKey(),
      label: text(),
      touchedAt: integer('touched_at').notNull().default(5).$onUpdate(() => sql`1 + 41`),
      version: litev.integerVersion(),
    }),
  };
}

/** The test tables typed as the PostgreSQL ones; the other dialects have the same keys and row types. */
export type TestSchema = ReturnType<typeof pgSchema>;

/** Test tables for `dialect`, their SQL names prefixed with `prefix`. */
export function testSchema(dialect: Dialect, prefix = 'dc_'): TestSchema {
  if (dialect === 'pg') return pgSchema(prefix);
  if (dialect === 'mysql') return mysqlSchema(prefix) as unknown as TestSchema;
  return sqliteSchema(prefix) as unknown as TestSchema;
}
