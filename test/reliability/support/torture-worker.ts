/**
 * One torture process: `node --import tsx torture-worker.ts <json>` with
 * `{ dialect, url, table, mode, increments, rows, … }`. Performs `increments`
 * read-modify-write increments of `n` on random rows `1..rows` through its own connection and
 * prints one JSON line `{ successes, conflicts, wrongRows, transient, failures, unexpected }`.
 * `mode: 'library'`: `retryOnConflict` + `versionedUpdate`; `'plain'`: select, then
 * `update … set n = <read + 1> where id = ?` with no version check (the harness must lose
 * updates there). The topology options (driver, a replica to read from, continuing from
 * `error.current`, retrying transient errors, a deadline) are used by `npm run test:topologies`.
 */
import { createClient } from '@libsql/client';
import { eq, inArray } from 'drizzle-orm';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import mysql from 'mysql2/promise';
import pg from 'pg';
import postgres from 'postgres';
import { RecordModifiedError, isTransientError, retryOnConflict, versionedUpdate, versionedUpdateMany } from '../../../src/index.js';
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
  /** PostgreSQL driver: postgres.js (default) or node-postgres, each with its defaults. */
  driver?: 'postgres-js' | 'node-postgres';
  /** postgres.js `prepare` (its default: true). */
  prepare?: boolean;
  /** Reads go here (a replica), writes to `url`. */
  readUrl?: string;
  /** After a conflict, write again from `error.current` instead of reading again. */
  continueFromCurrent?: boolean;
  /** Retry what `isTransientError` calls transient (40001, 40P01, 1213, 1205, SQLITE_BUSY) and count them by class. */
  retryTransient?: boolean;
  /** Epoch ms after which no new increment starts. */
  deadline?: number;
  /** Each step increments two rows in one `versionedUpdateMany` batch (a transaction) instead of one. */
  batch?: boolean;
}

/** What a worker prints. */
export interface WorkerReport {
  successes: number;
  conflicts: number;
  /** versionedUpdate resolved to a row that is not the one this write left (key, n or version). */
  wrongRows: number;
  /** Transient errors retried, by class. */
  transient: Record<string, number>;
  /** Failures other than conflicts, by class. */
  failures: Record<string, number>;
  /** Increments not started because the deadline passed. */
  skipped: number;
  unexpected: string[];
}

/** `error` and the `cause`s under it, five at most (Drizzle's `DrizzleQueryError` keeps the driver's error as `cause`). */
function causeChain(error: unknown): any[] {
  const chain: any[] = [];
  for (let e: any = error; e && chain.length < 5; e = e.cause) chain.push(e);
  return chain;
}

/** The driver's error code under Drizzle's wrapper. */
export function errorClass(error: unknown): string {
  for (const e of causeChain(error)) {
    if (typeof e.code === 'string' && e.code !== '') return e.code;
    // mysql2 names only MySQL's error numbers: MariaDB's own (19xx) arrive as a bare errno.
    if (typeof e.errno === 'number') return `errno ${e.errno}`;
  }
  return (error as Error)?.name ?? typeof error;
}

/**
 * Which errors are retried is the library's `isTransientError` (serialization failure, deadlock,
 * lock wait timeout, SQLITE_BUSY, through Drizzle's `cause` chain). The worker keeps only what a
 * yes/no predicate cannot give: `errorClass` to count the retries by class in its report, and its
 * own retry loop with a cap, since `retryOnConflict` would count transient retries and conflicts
 * in one budget (the torture wants conflicts answered without limit and transient errors bounded).
 */
const MAX_TRANSIENT_RETRIES = 50;

/** The error's stack and every `cause` under it (name, code, errno, message): what a failure report needs. */
function describeChain(error: unknown): string {
  const [, ...causes] = causeChain(error);
  const lines = causes.map((e) => `caused by ${e?.name ?? typeof e} code=${String(e?.code)} errno=${String(e?.errno)}: ${String(e?.message ?? e)}`);
  return [String((error as Error)?.stack ?? error), ...lines].join('\n');
}

async function open(args: WorkerArgs, url: string): Promise<{ db: any; close(): Promise<void> }> {
  if (args.dialect === 'pg' && args.driver === 'node-postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    return { db: drizzleNodePg(pool), close: () => pool.end() };
  }
  if (args.dialect === 'pg') {
    const client = postgres(url, { max: 1, onnotice: () => {}, ...(args.prepare === undefined ? {} : { prepare: args.prepare }) });
    return { db: drizzlePostgres(client), close: () => client.end() };
  }
  if (args.dialect === 'mysql') {
    const pool = mysql.createPool({ uri: url, connectionLimit: 1 });
    return { db: drizzleMysql(pool), close: () => pool.end() };
  }
  const client = createClient({ url });
  await client.execute('pragma busy_timeout = 30000');
  return { db: drizzleLibsql(client), close: async () => client.close() };
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const table = counterTable(args.dialect, args.table);
const { db, close } = await open(args, args.url);
const reader = args.readUrl ? await open(args, args.readUrl) : { db, close: async () => {} };
const report: WorkerReport = { successes: 0, conflicts: 0, wrongRows: 0, transient: {}, failures: {}, skipped: 0, unexpected: [] };
const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
// Every process starts together: wait for the parent's go.
const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
await db.select().from(table).limit(1);
// A replica shows the table once it has replayed its creation: wait for it (10 s at most).
for (let tries = 0; ; tries++) {
  try {
    await reader.db.select().from(table).limit(1);
    break;
  } catch (error) {
    if (tries >= 100) throw error;
    await new Promise((r) => setTimeout(r, 100));
  }
}
process.send!('ready');
await go;

/** Conflict retries stop too once the deadline has passed (by 30 s): every loop is bounded in time. */
function pastDeadline(): void {
  if (args.deadline !== undefined && Date.now() > args.deadline + 30_000) throw new Error('deadline passed while retrying conflicts');
}

/** One increment of row `id`: read, then versionedUpdate, retried on conflicts. */
async function increment(id: number): Promise<void> {
  let row: any;
  await retryOnConflict(
    async (attempt) => {
      if (attempt > 1) report.conflicts++;
      pastDeadline();
      if (!row || !args.continueFromCurrent) [row] = await reader.db.select().from(table).where(eq(table.id, id));
      try {
        const saved = await versionedUpdate(db, table, row, { n: row.n + 1 });
        if (saved.id !== id || saved.n !== row.n + 1 || saved.version !== row.version + 1) report.wrongRows++;
      } catch (error) {
        if (error instanceof RecordModifiedError && error.current) row = error.current;
        throw error;
      }
    },
    { attempts: 100_000, backoffMs: 1 },
  );
}

/** One batch: rows `id` and the next one incremented together in one transaction, retried on conflicts. */
async function incrementBatch(id: number): Promise<void> {
  const ids = [id, 1 + (id % args.rows)];
  await retryOnConflict(
    async (attempt) => {
      if (attempt > 1) report.conflicts++;
      pastDeadline();
      const rows: any[] = await reader.db.select().from(table).where(inArray(table.id, ids));
      const { updated } = await versionedUpdateMany(db, table, rows.map((row) => ({ target: row, changes: { n: row.n + 1 } })));
      for (const row of rows) {
        const saved: any = updated.find((u: any) => u.id === row.id);
        if (!saved || saved.n !== row.n + 1 || saved.version !== row.version + 1) report.wrongRows++;
      }
    },
    { attempts: 100_000, backoffMs: 1 },
  );
}

try {
  for (let i = 0; i < args.increments; i++) {
    if (args.deadline !== undefined && Date.now() > args.deadline) {
      report.skipped = args.increments - i;
      break;
    }
    const id = 1 + Math.floor(Math.random() * args.rows);
    try {
      if (args.mode === 'library') {
        for (let transient = 0; ; transient++) {
          try {
            await (args.batch ? incrementBatch(id) : increment(id));
            break;
          } catch (error) {
            const kind = errorClass(error);
            if (!args.retryTransient || !isTransientError(error) || transient >= MAX_TRANSIENT_RETRIES) throw error;
            count(report.transient, kind);
            // Jittered, growing backoff: retried at once, writers certified against each other
            // on Galera keep aborting one another.
            await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** transient)));
          }
        }
      } else {
        const [row] = await db.select().from(table).where(eq(table.id, id));
        // Give other processes the window a real request handler has between read and write.
        await new Promise((r) => setImmediate(r));
        await db.update(table).set({ n: row.n + 1 }).where(eq(table.id, id));
      }
      report.successes += args.mode === 'library' && args.batch ? 2 : 1;
    } catch (error) {
      count(report.failures, error instanceof RecordModifiedError ? 'gave up on conflicts' : errorClass(error));
      if (report.unexpected.length < 20) report.unexpected.push(error instanceof RecordModifiedError ? `gave up: ${error.message}` : describeChain(error));
    }
  }
} finally {
  await reader.close();
  await close();
}
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
