/**
 * Real databases for the tests: every driver the library supports, against the local
 * PostgreSQL and MariaDB servers and embedded PGlite / libSQL. No mocks.
 *
 * A server that does not answer is skipped with a loud line, except under CI=true where it
 * is a failure.
 */
import { createClient } from '@libsql/client';
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import { drizzle as drizzleBetterSqlite } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import mysql from 'mysql2/promise';
import { mkdirSync, rmSync } from 'node:fs';
import pg from 'pg';
import postgres from 'postgres';

export type Dialect = 'pg' | 'mysql' | 'sqlite';

export const PG_URL = process.env['PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

/** One driver's connection: a Drizzle db plus a raw statement runner outside the library. */
export interface TestDatabase {
  /** e.g. `pg/postgres-js`, `mysql/mysql2`, `sqlite/libsql-file`. */
  name: string;
  dialect: Dialect;
  db: any;
  /** Runs one raw SQL statement through the driver, outside Drizzle and the library. */
  exec(statement: string): Promise<void>;
  /** A Drizzle db on the same connection that records every query it sends into `log`. */
  logged(log: string[]): any;
  /** A new, independent connection pool to the same database (for races). */
  connect(poolSize: number): Promise<{ db: any; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** A Drizzle logger that appends each query's SQL text to `log`. */
function recorder(log: string[]) {
  return { logQuery: (query: string, params: unknown[]) => void log.push(process.env["LOG_PARAMS"] ? `${query} -- ${JSON.stringify(params)}` : query) };
}

type Opener = { name: string; dialect: Dialect; open(): Promise<TestDatabase> };

const TMP = new URL('../../.tmp/', import.meta.url).pathname;

const openers: Opener[] = [
  {
    name: 'pg/postgres-js',
    dialect: 'pg',
    async open() {
      const make = (max: number) => postgres(PG_URL, { max, onnotice: () => {} });
      const client = make(4);
      await client`select 1`;
      return {
        name: this.name,
        dialect: 'pg',
        db: drizzlePostgres(client),
        logged: (log) => drizzlePostgres(client, { logger: recorder(log) }),
        exec: async (s) => void (await client.unsafe(s)),
        connect: async (n) => {
          const c = make(n);
          return { db: drizzlePostgres(c), close: () => c.end() };
        },
        close: () => client.end(),
      };
    },
  },
  {
    name: 'pg/node-postgres',
    dialect: 'pg',
    async open() {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
      await pool.query('select 1');
      return {
        name: this.name,
        dialect: 'pg',
        db: drizzlePg(pool),
        logged: (log) => drizzlePg(pool, { logger: recorder(log) }),
        exec: async (s) => void (await pool.query(s)),
        connect: async (n) => {
          const p = new pg.Pool({ connectionString: PG_URL, max: n });
          return { db: drizzlePg(p), close: () => p.end() };
        },
        close: () => pool.end(),
      };
    },
  },
  {
    name: 'pg/pglite',
    dialect: 'pg',
    async open() {
      const client = new PGlite();
      await client.query('select 1');
      const db = drizzlePglite(client);
      return {
        name: this.name,
        dialect: 'pg',
        db,
        logged: (log) => drizzlePglite(client, { logger: recorder(log) }),
        exec: async (s) => void (await client.exec(s)),
        // PGlite is one embedded connection: "another pool" is the same instance, serialised.
        connect: async () => ({ db: drizzlePglite(client), close: async () => {} }),
        close: () => client.close(),
      };
    },
  },
  {
    name: 'mysql/mysql2',
    dialect: 'mysql',
    async open() {
      const make = (n: number) => mysql.createPool({ uri: MYSQL_URL, connectionLimit: n, multipleStatements: false });
      const pool = make(4);
      await pool.query('select 1');
      return {
        name: this.name,
        dialect: 'mysql',
        db: drizzleMysql(pool),
        logged: (log) => drizzleMysql(pool, { logger: recorder(log) }),
        exec: async (s) => void (await pool.query(s)),
        connect: async (n) => {
          const p = make(n);
          return { db: drizzleMysql(p), close: () => p.end() };
        },
        close: () => pool.end(),
      };
    },
  },
  {
    name: 'sqlite/libsql-file',
    dialect: 'sqlite',
    async open() {
      mkdirSync(TMP, { recursive: true });
      const file = `${TMP}test-${process.pid}.db`;
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
      const make = (concurrency: number) => createClient({ url: `file:${file}`, concurrency });
      const client = make(4);
      await client.execute('pragma journal_mode = wal');
      await client.execute('pragma busy_timeout = 10000');
      return {
        name: this.name,
        dialect: 'sqlite',
        db: drizzleLibsql(client),
        logged: (log) => drizzleLibsql(client, { logger: recorder(log) }),
        exec: async (s) => void (await client.execute(s)),
        connect: async (n) => {
          const c = make(n);
          await c.execute('pragma busy_timeout = 10000');
          return { db: drizzleLibsql(c), close: async () => c.close() };
        },
        close: async () => {
          client.close();
          for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
        },
      };
    },
  },
  {
    name: 'sqlite/better-sqlite3',
    dialect: 'sqlite',
    async open() {
      mkdirSync(TMP, { recursive: true });
      const file = `${TMP}test-better-${process.pid}.db`;
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
      // One synchronous connection per Database object: a "pool" of n is n objects on the file.
      const open = () => {
        const client = new Database(file);
        client.pragma('journal_mode = wal');
        client.pragma('busy_timeout = 10000');
        return client;
      };
      const client = open();
      const clients = [client];
      return {
        name: this.name,
        dialect: 'sqlite',
        db: drizzleBetterSqlite(client),
        logged: (log) => drizzleBetterSqlite(client, { logger: recorder(log) }),
        exec: async (s) => void client.exec(s),
        connect: async (n) => {
          const opened = Array.from({ length: n }, open);
          clients.push(...opened);
          return { db: drizzleBetterSqlite(opened[0]!), close: async () => opened.forEach((c) => c.close()) };
        },
        close: async () => {
          for (const c of clients) if (c.open) c.close();
          for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
        },
      };
    },
  },
  {
    name: 'sqlite/libsql-memory',
    dialect: 'sqlite',
    async open() {
      const client = createClient({ url: ':memory:' });
      await client.execute('select 1');
      const db = drizzleLibsql(client);
      return {
        name: this.name,
        dialect: 'sqlite',
        db,
        logged: (log) => drizzleLibsql(client, { logger: recorder(log) }),
        exec: async (s) => void (await client.execute(s)),
        // An in-memory database lives on its single connection: share it.
        connect: async () => ({ db, close: async () => {} }),
        close: async () => client.close(),
      };
    },
  },
];

let opened: Promise<TestDatabase[]> | undefined;
const skipped: string[] = [];

/** Every database that answers, opened once per test run. */
export function testDatabases(): Promise<TestDatabase[]> {
  opened ??= (async () => {
    const only = process.env['DIALECTS']?.split(',');
    const out: TestDatabase[] = [];
    for (const opener of openers) {
      if (only && !only.includes(opener.dialect) && !only.includes(opener.name)) continue;
      try {
        out.push(await opener.open());
      } catch (error) {
        const line = `!!! SKIPPING ${opener.name}: cannot connect (${(error as Error).message})`;
        if (process.env['CI'] === 'true') throw new Error(`${line} — CI=true requires every server`, { cause: error });
        skipped.push(line);
        console.error(`\n${line}\n`);
      }
    }
    return out;
  })();
  return opened;
}

/** Closes everything {@link testDatabases} opened; prints the skipped drivers again. */
export async function closeTestDatabases(): Promise<void> {
  if (!opened) return;
  for (const d of await opened) await d.close();
  for (const line of skipped) console.error(line);
}
