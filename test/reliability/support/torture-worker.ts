/**
 * One torture process: `node --import tsx torture-worker.ts <json>` with
 * `{ dialect, url, table, mode, increments, rows, seed }`. Performs `increments`
 * read-modify-write increments of `n` on random rows `1..rows` through its own connection and
 * prints one JSON line `{ successes, conflicts, unexpected: string[] }`.
 * `mode: 'library'`: `retryOnConflict` + `versionedUpdate`; `'plain'`: select, then
 * `update … set n = <read + 1> where id = ?` with no version check (the harness must lose
 * updates there).
 */
import { createClient } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import mysql from 'mysql2/promise';
import postgres from 'postgres';
import { RecordModifiedError, retryOnConflict, versionedUpdate } from '../../../src/index.js';
import type { Dialect } from '../../support/databases.js';
import { counterTable } from './tables.js';

/** The worker's arguments. */
export interface WorkerArgs {
  dialect: Dialect;
  /** PostgreSQL / MySQL URL, or `file:<path>` for libSQL. */
  url: string;
  table: string;
  mode: 'library' | 'plain';
  increments: number;
  rows: number;
}

/** What a worker prints. */
export interface WorkerReport {
  successes: number;
  conflicts: number;
  unexpected: string[];
}

async function open(args: WorkerArgs): Promise<{ db: any; close(): Promise<void> }> {
  if (args.dialect === 'pg') {
    const client = postgres(args.url, { max: 1, onnotice: () => {} });
    return { db: drizzlePostgres(client), close: () => client.end() };
  }
  if (args.dialect === 'mysql') {
    const pool = mysql.createPool({ uri: args.url, connectionLimit: 1 });
    return { db: drizzleMysql(pool), close: () => pool.end() };
  }
  const client = createClient({ url: args.url });
  await client.execute('pragma busy_timeout = 30000');
  return { db: drizzleLibsql(client), close: async () => client.close() };
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const table = counterTable(args.dialect, args.table);
const { db, close } = await open(args);
const report: WorkerReport = { successes: 0, conflicts: 0, unexpected: [] };
// Every process starts together: wait for the parent's go.
const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
await db.select().from(table).limit(1);
process.send!('ready');
await go;
try {
  for (let i = 0; i < args.increments; i++) {
    const id = 1 + Math.floor(Math.random() * args.rows);
    try {
      if (args.mode === 'library') {
        await retryOnConflict(
          async (attempt) => {
            if (attempt > 1) report.conflicts++;
            const [row] = await db.select().from(table).where(eq(table.id, id));
            await versionedUpdate(db, table, row, { n: row.n + 1 });
          },
          { attempts: 100_000, backoffMs: 1 },
        );
      } else {
        const [row] = await db.select().from(table).where(eq(table.id, id));
        // Give other processes the window a real request handler has between read and write.
        await new Promise((r) => setImmediate(r));
        await db.update(table).set({ n: row.n + 1 }).where(eq(table.id, id));
      }
      report.successes++;
    } catch (error) {
      report.unexpected.push(error instanceof RecordModifiedError ? `gave up: ${error.message}` : String((error as Error)?.stack ?? error));
    }
  }
} finally {
  await close();
}
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
