/**
 * Batch benchmark: `versionedUpdateMany` of N rows vs N single `versionedUpdate` calls on the
 * same rows, alternating sides each run (median speedup), and the statements each side sends,
 * counted with a Drizzle logger.
 */
import { asc } from 'drizzle-orm';
import { versionedUpdate, versionedUpdateMany } from '../src/index.js';
import type { TestDatabase } from '../test/support/databases.js';
import { tableDdl } from '../test/support/ddl.js';
import { testSchema } from '../test/support/schema.js';
import { median } from './overhead.js';

/** One batch size on one driver. */
export interface BatchRow {
  driver: string;
  rows: number;
  batchMs: number;
  singlesMs: number;
  speedup: number;
  batchStatements: number;
  singleStatements: number;
}

/** Measures `sizes` on `d`, `runs` alternating runs per size. */
export async function batch(d: TestDatabase, sizes: number[], runs: number): Promise<BatchRow[]> {
  const t = testSchema(d.dialect, 'bench_batch_');
  for (const s of tableDdl(d.dialect, t.accounts)) await d.exec(s);
  const max = Math.max(...sizes);
  const { db } = d;
  for (let i = 0; i < max; i += 500) {
    await db.insert(t.accounts).values(Array.from({ length: Math.min(500, max - i) }, (_, j) => ({ id: i + j + 1, owner: 'b', balance: 0 })));
  }
  const read = async (n: number) => (await db.select().from(t.accounts).orderBy(asc(t.accounts.id))).slice(0, n);
  const many = async (rows: any[], logDb = db) =>
    versionedUpdateMany(logDb, t.accounts, rows.map((r) => ({ target: r, changes: { balance: r.balance + 1 } })));
  const singles = async (rows: any[], logDb = db) => {
    for (const r of rows) await versionedUpdate(logDb, t.accounts, r, { balance: r.balance + 1 });
  };
  const out: BatchRow[] = [];
  for (const n of sizes) {
    const tb: number[] = [];
    const ts: number[] = [];
    await many(await read(n)); // warm-up: prepares both paths
    await singles((await read(n)).slice(0, Math.min(n, 50)));
    for (let r = 0; r < runs; r++) {
      for (const side of r % 2 === 0 ? ['many', 'singles'] : ['singles', 'many']) {
        const rows = await read(n);
        const t0 = performance.now();
        await (side === 'many' ? many(rows) : singles(rows));
        (side === 'many' ? tb : ts).push(performance.now() - t0);
      }
    }
    const manyLog: string[] = [];
    await many(await read(n), d.logged(manyLog));
    const singleLog: string[] = [];
    await singles(await read(n), d.logged(singleLog));
    const batchMs = median(tb);
    const singlesMs = median(ts);
    out.push({ driver: d.name, rows: n, batchMs, singlesMs, speedup: singlesMs / batchMs, batchStatements: manyLog.length, singleStatements: singleLog.length });
  }
  await d.exec(tableDdl(d.dialect, t.accounts)[0]!);
  return out;
}
