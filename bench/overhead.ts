/**
 * Overhead benchmark: versionedUpdate vs the same plain Drizzle `update … where pk`, per driver,
 * measured in one run as interleaved rounds (median throughput ratio). Also versionedDelete vs
 * plain delete, `versionedUpdate(…, { returning: false })` (one statement, nothing read back) vs
 * the plain update, and on MySQL versioned vs plain update + read-back (the row must be read there).
 * Drivers: every one of test/support/databases.ts (better-sqlite3 on a WAL file included);
 * `DIALECTS=sqlite` (or a driver name) limits them.
 *
 * Usage: node --import tsx bench/overhead.ts [--ops 1500] [--rounds 7]
 */
import { eq } from 'drizzle-orm';
import { versionedDelete, versionedUpdate } from '../src/index.js';
import { markNoCompoundStatements } from '../src/mysql/mysql-adapter.js';
import { closeTestDatabases, testDatabases, type TestDatabase } from '../test/support/databases.js';
import { tableDdl } from '../test/support/ddl.js';
import { testSchema } from '../test/support/schema.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const OPS = arg('ops', 1500);
const ROUNDS = arg('rounds', 7);

/** Median of `xs` (upper middle for an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Operations per second of `op` run `ops` times in a row. */
async function throughput(ops: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await op(i);
  return ops / ((performance.now() - start) / 1000);
}

/**
 * Throughput ratio a/b measured op by op: each round alternates one `a` and one `b` call
 * (their order flipping every round) and sums the time spent in each, so drift, checkpoints
 * and caches hit both sides alike. Reports the median over rounds.
 */
export async function compare(a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>, ops = OPS, rounds = ROUNDS) {
  for (let i = 0; i < Math.min(200, ops); i++) {
    await a(i);
    await b(i);
  }
  const ratios: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ta = 0;
    let tb = 0;
    for (let i = 0; i < ops; i++) {
      const [first, second] = (i + r) % 2 === 0 ? [a, b] : [b, a];
      const t0 = performance.now();
      await first(i);
      const t1 = performance.now();
      await second(i);
      const t2 = performance.now();
      if (first === a) {
        ta += t1 - t0;
        tb += t2 - t1;
      } else {
        tb += t1 - t0;
        ta += t2 - t1;
      }
    }
    as.push(ops / (ta / 1000));
    bs.push(ops / (tb / 1000));
    ratios.push(tb / ta);
  }
  return { ratio: median(ratios), a: median(as), b: median(bs) };
}

export interface OverheadRow {
  driver: string;
  measure: string;
  ratio: number;
  versionedPerSec: number;
  plainPerSec: number;
}

/** Overhead rows for one driver; `ops` per round and `rounds` default to `--ops` / `--rounds`. */
export async function overhead(d: TestDatabase, { ops = OPS, rounds = ROUNDS } = {}): Promise<OverheadRow[]> {
  const t = testSchema(d.dialect, 'bench_');
  for (const s of tableDdl(d.dialect, t.accounts)) await d.exec(s);
  const { db } = d;
  await db.insert(t.accounts).values([
    { id: 1, owner: 'versioned', balance: 0 },
    { id: 2, owner: 'plain', balance: 0 },
  ]);
  let row = (await db.select().from(t.accounts).where(eq(t.accounts.id, 1)))[0];
  const versioned = async (i: number) => {
    row = await versionedUpdate(db, t.accounts, row, { balance: i });
  };
  const plain = (i: number) => db.update(t.accounts).set({ balance: i }).where(eq(t.accounts.id, 2));
  const out: OverheadRow[] = [];
  const push = (measure: string, r: { ratio: number; a: number; b: number }) =>
    out.push({ driver: d.name, measure, ratio: r.ratio, versionedPerSec: r.a, plainPerSec: r.b });
  push('update', await compare(versioned, plain, ops, rounds));
  // The one-statement write: nothing read back, resolves to the key and the new version.
  let written: { id: number; version: number } = { id: 1, version: row.version };
  const noRow = async (i: number) => {
    const w = await versionedUpdate(db, t.accounts, written, { balance: i }, { returning: false });
    written = { id: w.id, version: w.version! };
  };
  push('update, returning: false', await compare(noRow, plain, ops, rounds));
  row = (await db.select().from(t.accounts).where(eq(t.accounts.id, 1)))[0];
  if (d.dialect !== 'mysql') {
    const plainReturning = (i: number) => db.update(t.accounts).set({ balance: i }).where(eq(t.accounts.id, 2)).returning();
    push('update (plain returns the row too)', await compare(versioned, plainReturning, ops, rounds));
  } else {
    // The path MySQL takes (no compound statements): begin; update; select … for update; commit,
    // on a second connection marked as such, against the same plain update.
    const other = await d.connect(1);
    try {
      markNoCompoundStatements(other.db);
      await other.db.insert(t.accounts).values({ id: 3, owner: 'statement by statement', balance: 0 });
      let byStatement = (await other.db.select().from(t.accounts).where(eq(t.accounts.id, 3)))[0];
      const separate = async (i: number) => {
        byStatement = await versionedUpdate(other.db, t.accounts, byStatement, { balance: i });
      };
      push('update (MySQL path: begin; update; select; commit)', await compare(separate, plain, ops, rounds));
    } finally {
      await other.close();
    }
    const plainReadBack = async (i: number) => {
      await plain(i);
      return db.select().from(t.accounts).where(eq(t.accounts.id, 2));
    };
    push('update (plain reads the row back too)', await compare(versioned, plainReadBack, ops, rounds));
  }
  const n = Math.min(ops, 500);
  const del = async (label: 'v' | 'p') => {
    await d.exec('delete from bench_accounts');
    const rows = Array.from({ length: n }, (_, i) => ({ id: i + 1, owner: label }));
    await db.insert(t.accounts).values(rows);
    return db.select().from(t.accounts).orderBy(t.accounts.id);
  };
  const deletes: number[] = [];
  const vs: number[] = [];
  const ps: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const vrows = await del('v');
    const tv = await throughput(n, (i) => versionedDelete(db, t.accounts, vrows[i]));
    await del('p');
    const tp = await throughput(n, (i) => db.delete(t.accounts).where(eq(t.accounts.id, i + 1)));
    vs.push(tv);
    ps.push(tp);
    deletes.push(tv / tp);
  }
  push('delete', { ratio: median(deletes), a: median(vs), b: median(ps) });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows: OverheadRow[] = [];
  try {
    for (const d of await testDatabases()) {
      const r = await overhead(d);
      rows.push(...r);
      for (const x of r) console.log(`${x.driver.padEnd(22)} ${x.measure.padEnd(40)} ratio ${x.ratio.toFixed(3)}  (${x.versionedPerSec.toFixed(0)}/s vs ${x.plainPerSec.toFixed(0)}/s)`);
    }
  } finally {
    await closeTestDatabases();
  }
}
