/**
 * A database made for one codegen test run (PostgreSQL and MariaDB: `create database`;
 * SQLite: a file in the project), with the credentials a drizzle config needs.
 */
import { createClient } from '@libsql/client';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { migrate as migrateMysql } from 'drizzle-orm/mysql2/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/postgres-js';
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator';
import mysql from 'mysql2/promise';
import { join } from 'node:path';
import postgres from 'postgres';
import { MYSQL_URL, PG_URL, type Dialect } from '../../support/databases.js';
import { quote } from '../../support/ddl.js';
import type { Project } from './project.js';

export interface Scratch {
  credentials: Record<string, unknown>;
  q(name: string): string;
  exec(statement: string): Promise<void>;
  /** Rows of a query. */
  query(statement: string): Promise<Record<string, unknown>[]>;
  /** Versions of the rows of `table` matching `where` (SQL), by id. */
  versions(table: string, where?: string): Promise<number[]>;
  /**
   * What a test run must leave as it found it: the row count of every table, and the counters
   * (PostgreSQL sequences, MariaDB AUTO_INCREMENT, SQLite's sqlite_sequence).
   */
  state(): Promise<Record<string, number>>;
  /** Applies the project's migrations (drizzle-orm's migrate() on servers, drizzle-kit migrate on SQLite). */
  migrate(project: Project): Promise<void>;
  drop(): Promise<void>;
}

let counter = 0;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function scratchDatabase(dialect: Dialect): Promise<Scratch> {
  const name = `dc_cg_${process.pid}_${++counter}`;
  const q = (n: string) => quote(dialect, n);
  if (dialect === 'pg') {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = withDatabase(PG_URL, name);
    const client = postgres(url, { max: 1, onnotice: () => {} });
    return {
      credentials: { url },
      q,
      exec: async (s) => void (await client.unsafe(s)),
      query: async (s) => [...(await client.unsafe(s))],
      versions: async (t, w = '1 = 1') => (await client.unsafe(`select version from ${q(t)} where ${w} order by id`)).map((r: any) => Number(r.version)),
      state: async () => {
        const out: Record<string, number> = {};
        const tables = await client.unsafe(`select table_schema as s, table_name as t from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`);
        for (const { s, t } of tables as any[]) out[`rows ${s}.${t}`] = Number((await client.unsafe(`select count(*) as n from ${q(s)}.${q(t)}`))[0]!.n);
        for (const r of (await client.unsafe(`select schemaname as s, sequencename as n, last_value as v from pg_sequences`)) as any[]) out[`sequence ${r.s}.${r.n}`] = Number(r.v ?? 0);
        return out;
      },
      migrate: (project) => migratePg(drizzlePg(client), { migrationsFolder: join(project.dir, 'drizzle') }),
      drop: async () => {
        await client.end();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  if (dialect === 'mysql') {
    const admin = await mysql.createConnection(MYSQL_URL);
    await admin.query(`create database ${name}`);
    const url = withDatabase(MYSQL_URL, name);
    const pool = mysql.createPool({ uri: url, connectionLimit: 2 });
    return {
      credentials: { url },
      q,
      exec: async (s) => void (await pool.query(s)),
      query: async (s) => (await pool.query(s))[0] as Record<string, unknown>[],
      versions: async (t, w = '1 = 1') => ((await pool.query(`select version from ${q(t)} where ${w} order by id`))[0] as any[]).map((r) => Number(r.version)),
      state: async () => {
        const out: Record<string, number> = {};
        const [tables] = (await pool.query(`select table_name as t, auto_increment as ai from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'`)) as any[];
        for (const { t, ai } of tables) {
          out[`rows ${t}`] = Number(((await pool.query(`select count(*) as n from ${q(t)}`))[0] as any[])[0].n);
          if (ai !== null) out[`auto_increment ${t}`] = Number(ai);
        }
        return out;
      },
      migrate: (project) => migrateMysql(drizzleMysql(pool), { migrationsFolder: join(project.dir, 'drizzle') }),
      drop: async () => {
        await pool.end();
        await admin.query(`drop database if exists ${name}`);
        await admin.end();
      },
    };
  }
  let client: ReturnType<typeof createClient> | undefined;
  let dir = '';
  const open = () => (client ??= createClient({ url: `file:${join(dir, 'dev.db')}` }));
  return {
    credentials: { url: 'file:dev.db' },
    q,
    exec: async (s) => void (await open().execute(s)),
    query: async (s) => (await open().execute(s)).rows as unknown as Record<string, unknown>[],
    versions: async (t, w = '1 = 1') => (await open().execute(`select version from ${q(t)} where ${w} order by id`)).rows.map((r) => Number(r['version'])),
    state: async () => {
      const out: Record<string, number> = {};
      const tables = (await open().execute(`select name from sqlite_master where type = 'table'`)).rows.map((r) => String(r['name']));
      for (const t of tables) out[`rows ${t}`] = Number((await open().execute(`select count(*) as n from ${q(t)}`)).rows[0]!['n']);
      if (tables.includes('sqlite_sequence')) {
        for (const r of (await open().execute('select name, seq from sqlite_sequence')).rows) out[`sqlite_sequence ${String(r['name'])}`] = Number(r['seq']);
      }
      return out;
    },
    migrate: async (project) => {
      dir = project.dir;
      project.kit('migrate');
    },
    drop: async () => client?.close(),
  };
}
