/**
 * The multi-process torture harness: N worker processes × M increments on a few hot rows,
 * each process on its own connection, then the sum of the rows compared with the successful
 * writes. Shared by `torture.test.ts` (CI size) and `torture-cli.ts` (full size).
 */
import { createClient } from '@libsql/client';
import { fork } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import postgres from 'postgres';
import { MYSQL_URL, PG_URL, type Dialect } from '../../support/databases.js';
import { tableDdl } from '../../support/ddl.js';
import { counterTable } from './tables.js';
import type { WorkerArgs, WorkerReport } from './torture-worker.js';

const WORKER = fileURLToPath(new URL('./torture-worker.ts', import.meta.url));
const TMP = fileURLToPath(new URL('../../../.tmp/', import.meta.url));

/** One torture run's outcome. */
export interface TortureResult {
  dialect: Dialect;
  mode: 'library' | 'plain';
  processes: number;
  /** Steps attempted (processes × increments; a batch step increments two rows). */
  operations: number;
  /** Increments the workers saw succeed. */
  successes: number;
  /** Conflicts seen (library mode: retries). */
  conflicts: number;
  /** Sum of `n` over the rows afterwards. */
  finalSum: number;
  /** successes − finalSum: updates that were reported done and are not in the data. */
  lost: number;
  /** Failures other than the expected conflicts (the first 20 per process). */
  unexpected: string[];
  /** Returned rows that were not the row the write left. */
  wrongRows: number;
  /** Transient errors the workers retried (topology runs), by class. */
  transient: Record<string, number>;
  /** Failures other than the expected conflicts, by class. */
  failures: Record<string, number>;
  /** Increments not started because the time limit passed. */
  skipped: number;
  ms: number;
}

/** Where a torture runs when it is not the local test server (`npm run test:topologies`). */
export interface TortureTopology {
  /** Writers' URLs, given to the processes in turn (several nodes of a cluster). */
  urls: string[];
  /** Where the table is created and summed (default: the first of `urls`), e.g. the server behind a pooler. */
  setupUrl?: string;
  /** Reads go to this URL (a replica). */
  readUrl?: string;
  /** Statements before the final sum on the first URL (e.g. `set session wsrep_sync_wait = 1`). */
  beforeSum?: string[];
  /** Worker options: PostgreSQL driver, postgres.js `prepare`, continue from `error.current`, retry transient errors. */
  worker?: Pick<WorkerArgs, 'driver' | 'prepare' | 'continueFromCurrent' | 'retryTransient' | 'batch'>;
  /** No increment starts after this many ms. */
  timeLimitMs?: number;
}

const merge = (counts: Record<string, number>[]) => {
  const out: Record<string, number> = {};
  for (const c of counts) for (const [k, n] of Object.entries(c)) out[k] = (out[k] ?? 0) + n;
  return out;
};

/** Raw SQL on a fresh connection of `dialect` (a URL), closed afterwards. */
async function withRaw<R>(dialect: Dialect, url: string, fn: (exec: (s: string) => Promise<any[]>) => Promise<R>): Promise<R> {
  if (dialect === 'pg') {
    const c = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return await fn(async (s) => [...(await c.unsafe(s))]);
    } finally {
      await c.end();
    }
  }
  if (dialect === 'mysql') {
    const c = await mysql.createConnection({ uri: url });
    try {
      return await fn(async (s) => {
        const [rows] = await c.query(s);
        return Array.isArray(rows) ? (rows as any[]) : [];
      });
    } finally {
      await c.end();
    }
  }
  const c = createClient({ url });
  try {
    return await fn(async (s) => (await c.execute(s)).rows as any[]);
  } finally {
    c.close();
  }
}

/** Runs one torture: `processes` workers × `increments` on `rows` hot rows. */
export async function torture(
  dialect: Dialect,
  mode: 'library' | 'plain',
  processes: number,
  increments: number,
  rows = 3,
  topology?: TortureTopology,
): Promise<TortureResult> {
  const started = Date.now();
  const name = `rel_torture_${mode}_${process.pid}`;
  let url = topology?.setupUrl ?? topology?.urls[0] ?? (dialect === 'pg' ? PG_URL : dialect === 'mysql' ? MYSQL_URL : '');
  let file: string | undefined;
  if (dialect === 'sqlite') {
    mkdirSync(TMP, { recursive: true });
    file = join(TMP, `${name}.db`);
    for (const s of ['', '-wal', '-shm', '-journal']) rmSync(file + s, { force: true });
    url = `file:${file}`;
  }
  const table = counterTable(dialect, name);
  await withRaw(dialect, url, async (exec) => {
    if (dialect === 'sqlite') await exec('pragma journal_mode = wal');
    for (const s of tableDdl(dialect, table)) await exec(s);
    for (let id = 1; id <= rows; id++) await exec(`insert into ${dialect === 'mysql' ? `\`${name}\`` : `"${name}"`} (id, n, version) values (${id}, 0, 1)`);
  });
  const args: WorkerArgs = { dialect, url, table: name, mode, increments, rows, ...topology?.worker };
  if (topology?.readUrl) args.readUrl = topology.readUrl;
  if (topology?.timeLimitMs !== undefined) args.deadline = Date.now() + topology.timeLimitMs;
  const urls = topology?.urls ?? [url];
  let children: ReturnType<typeof fork>[] = [];
  try {
    children = Array.from({ length: processes }, (_, i) =>
      fork(WORKER, [JSON.stringify({ ...args, url: urls[i % urls.length] })], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }),
    );
    const reports = children.map(
      (child) =>
        new Promise<WorkerReport>((resolve, reject) => {
          let out = '';
          let err = '';
          child.stdout!.on('data', (d) => (out += d));
          child.stderr!.on('data', (d) => (err += d));
          child.on('exit', (code) => {
            const line = out.trim().split('\n').pop() ?? '';
            try {
              resolve(JSON.parse(line) as WorkerReport);
            } catch {
              reject(new Error(`torture worker exited ${code}: ${out}\n${err}`));
            }
          });
        }),
    );
    // Start them together: each worker says `ready` once connected; then every one gets `go`.
    await Promise.all(
      children.map(
        (c, i) =>
          new Promise((resolve, reject) => {
            c.once('message', resolve);
            // A worker that dies before it is ready (no connection) fails the run with its output.
            reports[i]!.then(() => reject(new Error('torture worker exited before it was ready')), reject);
          }),
      ),
    );
    for (const c of children) c.send('go');
    const all = await Promise.all(reports);
    const finalSum = await withRaw(dialect, url, async (exec) => {
      for (const statement of topology?.beforeSum ?? []) await exec(statement);
      const [row] = await exec(`select sum(n) as s from ${dialect === 'mysql' ? `\`${name}\`` : `"${name}"`}`);
      return Number(row?.s ?? row?.['s'] ?? 0);
    });
    const successes = all.reduce((s, r) => s + r.successes, 0);
    return {
      dialect,
      mode,
      processes,
      operations: processes * increments,
      successes,
      conflicts: all.reduce((s, r) => s + r.conflicts, 0),
      finalSum,
      lost: successes - finalSum,
      unexpected: all.flatMap((r) => r.unexpected),
      wrongRows: all.reduce((s, r) => s + r.wrongRows, 0),
      transient: merge(all.map((r) => r.transient)),
      failures: merge(all.map((r) => r.failures)),
      skipped: all.reduce((s, r) => s + r.skipped, 0),
      ms: Date.now() - started,
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill();
    await withRaw(dialect, url, async (exec) => exec(`drop table if exists ${dialect === 'mysql' ? `\`${name}\`` : `"${name}"`}`)).catch(() => {});
    if (file) for (const s of ['', '-wal', '-shm', '-journal']) rmSync(file + s, { force: true });
  }
}
