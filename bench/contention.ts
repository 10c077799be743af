/**
 * Contention benchmark: a read-modify-write counter increment under N concurrent writers, four
 * ways — optimistic (`versionedUpdate` + `retryOnConflict`), pessimistic (`select … for update`
 * + update in a transaction), `versionedModify` (optimistic, locking the keys that conflicted
 * recently) and the atomic `set n = n + 1` (the floor: no read at all).
 * Each writer owns a connection from a pool sized to the writer count; keys are drawn uniformly
 * or zipf-skewed over a fixed key space; every point runs for a fixed duration.
 */
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { int, mysqlTable } from 'drizzle-orm/mysql-core';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import mysql from 'mysql2/promise';
import postgres from 'postgres';
import { RecordModifiedError, retryOnConflict, versionedModify, versionedUpdate } from '../src/index.js';
import { resetHotKeys } from '../src/write/hot-keys.js';
import { integerVersion as myVersion } from '../src/mysql/index.js';
import { integerVersion as pgVersion } from '../src/pg/index.js';
import { MYSQL_URL, PG_URL } from '../test/support/databases.js';

export type Strategy = 'optimistic' | 'pessimistic' | 'versionedModify' | 'atomic';

/** Every strategy, in the order a point runs them. */
export const STRATEGIES: readonly Strategy[] = ['optimistic', 'pessimistic', 'versionedModify', 'atomic'];
export type KeyDistribution = 'uniform' | 'zipf';

/** One measured point of the sweep. */
export interface ContentionPoint {
  dialect: 'pg' | 'mysql';
  driver: string;
  distribution: KeyDistribution;
  strategy: Strategy;
  writers: number;
  commitsPerSec: number;
  /** Failed version checks per attempt (optimistic and versionedModify). */
  conflictRate: number;
  /** Retries per commit (optimistic and versionedModify). */
  retriesPerCommit: number;
  /** Increments that gave up after the last retry (optimistic and versionedModify). */
  gaveUp: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ContentionOptions {
  writers: number[];
  seconds: number;
  keys: number;
  /** Zipf exponent for the skewed distribution. */
  zipfS: number;
  attempts: number;
  /** Windows per point, strategies interleaved; the median window (by commits/s) is kept. */
  repeats: number;
}

const pgCounters = pgTable('bench_counters', { id: integer().primaryKey(), n: integer().notNull().default(0), version: pgVersion() });
const myCounters = mysqlTable('bench_counters', { id: int().primaryKey(), n: int().notNull().default(0), version: myVersion() });
type Counters = typeof pgCounters;

interface Pool {
  db: any;
  close(): Promise<void>;
}

const pools = {
  pg: (n: number): Pool => {
    const c = postgres(PG_URL, { max: n, onnotice: () => {} });
    return { db: drizzlePostgres(c), close: () => c.end() };
  },
  mysql: (n: number): Pool => {
    const p = mysql.createPool({ uri: MYSQL_URL, connectionLimit: n });
    return { db: drizzleMysql(p), close: () => p.end() };
  },
};

/** A key sampler over 1..keys: uniform, or zipf with exponent `s` (key 1 the hottest). */
function sampler(distribution: KeyDistribution, keys: number, s: number): () => number {
  if (distribution === 'uniform') return () => 1 + Math.floor(Math.random() * keys);
  const cdf: number[] = [];
  let sum = 0;
  for (let k = 1; k <= keys; k++) cdf.push((sum += 1 / k ** s));
  return () => {
    const u = Math.random() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

function increment(strategy: Strategy, db: any, t: Counters, attempts: number, stats: { attempts: number; conflicts: number }) {
  if (strategy === 'atomic') return (id: number) => db.update(t).set({ n: sql`${t.n} + 1` }).where(eq(t.id, id));
  if (strategy === 'versionedModify') {
    // Attempts are counted through fn: one run per attempt (a conflict re-runs it from error.current).
    return (id: number) =>
      versionedModify(db, t, { id }, (row) => {
        stats.attempts++;
        return { n: row.n + 1 };
      }, { attempts });
  }
  if (strategy === 'pessimistic') {
    return (id: number) =>
      db.transaction(async (tx: any) => {
        const [row] = await tx.select().from(t).where(eq(t.id, id)).for('update');
        await tx.update(t).set({ n: row.n + 1 }).where(eq(t.id, id));
      });
  }
  return (id: number) =>
    retryOnConflict(
      async () => {
        stats.attempts++;
        const [row] = await db.select().from(t).where(eq(t.id, id));
        try {
          return await versionedUpdate(db, t, row, { n: row.n + 1 });
        } catch (error) {
          if (error instanceof RecordModifiedError) stats.conflicts++;
          throw error;
        }
      },
      { attempts },
    );
}

async function point(dialect: 'pg' | 'mysql', distribution: KeyDistribution, strategy: Strategy, writers: number, o: ContentionOptions): Promise<ContentionPoint> {
  const pool = pools[dialect](writers);
  const t = (dialect === 'pg' ? pgCounters : myCounters) as Counters;
  const stats = { attempts: 0, conflicts: 0 };
  // Each window learns its hot keys from scratch.
  resetHotKeys();
  const op = increment(strategy, pool.db, t, o.attempts, stats);
  const pick = sampler(distribution, o.keys, o.zipfS);
  // Open every connection before the clock starts.
  await Promise.all(Array.from({ length: writers }, () => pool.db.select().from(t).where(eq(t.id, 1))));
  const latencies: number[] = [];
  let gaveUp = 0;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const writer = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op(pick());
        latencies.push(performance.now() - t0);
      } catch (error) {
        if (!(error instanceof RecordModifiedError)) throw error;
        gaveUp++;
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const optimistic = strategy === 'optimistic' || strategy === 'versionedModify';
  // versionedModify counts attempts, not conflicts: every attempt past the first of a commit was one.
  if (strategy === 'versionedModify') stats.conflicts = stats.attempts - latencies.length;
  return {
    dialect,
    driver: dialect === 'pg' ? 'postgres.js' : 'mysql2',
    distribution,
    strategy,
    writers,
    commitsPerSec: latencies.length / elapsed,
    conflictRate: optimistic && stats.attempts ? stats.conflicts / stats.attempts : 0,
    retriesPerCommit: optimistic && latencies.length ? (stats.attempts - latencies.length - gaveUp) / latencies.length : 0,
    gaveUp,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

async function reset(dialect: 'pg' | 'mysql', keys: number): Promise<void> {
  const pool = pools[dialect](1);
  const ddl =
    dialect === 'pg'
      ? 'create table bench_counters (id integer primary key, n integer not null default 0, version integer not null default 1)'
      : 'create table bench_counters (id int primary key, n int not null default 0, version int not null default 1) engine=InnoDB';
  await pool.db.execute(sql.raw('drop table if exists bench_counters'));
  await pool.db.execute(sql.raw(ddl));
  const t = (dialect === 'pg' ? pgCounters : myCounters) as Counters;
  await pool.db.insert(t).values(Array.from({ length: keys }, (_, i) => ({ id: i + 1 })));
  await pool.close();
}

/** Runs the whole sweep (dialects × distributions × strategies × writers), logging each point. */
export async function contention(
  o: ContentionOptions,
  log: (line: string) => void = console.log,
  only: { dialects?: readonly ('pg' | 'mysql')[]; distributions?: readonly KeyDistribution[]; strategies?: readonly Strategy[] } = {},
): Promise<ContentionPoint[]> {
  const out: ContentionPoint[] = [];
  const strategies = only.strategies ?? STRATEGIES;
  for (const dialect of only.dialects ?? (['pg', 'mysql'] as const)) {
    await reset(dialect, o.keys);
    for (const distribution of only.distributions ?? (['uniform', 'zipf'] as const)) {
      for (const writers of o.writers) {
        const windows = new Map<Strategy, ContentionPoint[]>();
        for (let r = 0; r < o.repeats; r++) {
          for (const strategy of strategies) {
            windows.set(strategy, [...(windows.get(strategy) ?? []), await point(dialect, distribution, strategy, writers, o)]);
          }
        }
        for (const [strategy, ws] of windows) {
          const p = [...ws].sort((a, b) => a.commitsPerSec - b.commitsPerSec)[Math.floor(ws.length / 2)]!;
          out.push(p);
          log(
            `${p.driver.padEnd(11)} ${distribution.padEnd(7)} ${String(writers).padStart(2)} writers ${strategy.padEnd(11)} ${p.commitsPerSec.toFixed(0).padStart(6)}/s  conflicts ${(p.conflictRate * 100).toFixed(1)}%  retries/commit ${p.retriesPerCommit.toFixed(2)}  p50 ${p.p50Ms.toFixed(2)} ms  p99 ${p.p99Ms.toFixed(2)} ms`,
          );
        }
      }
    }
    const pool = pools[dialect](1);
    await pool.db.execute(sql.raw('drop table if exists bench_counters'));
    await pool.close();
  }
  return out;
}
