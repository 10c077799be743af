/**
 * `npm run test:topologies`: the torture (several processes incrementing a few hot rows via
 * read → versionedUpdate inside retryOnConflict) through the deployments users run, each on
 * servers this run starts itself on free 127.0.0.1 ports, with data under a temp dir, and stops
 * by pid afterwards (never the shared 5432 / 3306 servers):
 *
 * - PgBouncer (Debian's, installed when missing) in transaction pooling, 2 server connections
 *   for 4 clients, in front of its own PostgreSQL: postgres.js with `prepare: false` (as the
 *   README says to set) and node-postgres with the library's defaults;
 * - a PostgreSQL streaming replica: reads from the replica, writes to the primary, a conflict
 *   continued from `error.current`; both drivers;
 * - a 3-node MariaDB Galera cluster, writers spread over the nodes; deadlocks and certification
 *   failures (1213) retried by the torture and counted.
 *
 * One summary line per topology and driver: increments acknowledged, stored, lost, wrong rows
 * returned, conflicts, transient errors and failures by class. Exits 1 on any lost update,
 * wrong row or failure other than a conflict. Single-row increments and two-row
 * `versionedUpdateMany` batches (transactions) both run through PgBouncer and Galera. Sizes:
 * `TOPOLOGY_PROCESSES` (4), `TOPOLOGY_INCREMENTS` (150 steps per process); `-- pgbouncer
 * replica galera` picks topologies. postgres.js `prepare: true` batches also run behind
 * PgBouncer: their COMMIT may become a silent ROLLBACK there, so the library confirms it and
 * such a batch must fail loudly (allowed) while losing nothing (checked).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { torture, type TortureResult, type TortureTopology } from '../reliability/support/torture.js';
import { startGalera } from './galera.js';
import { ensurePgbouncer, startPgbouncer } from './pgbouncer.js';
import { startPgCluster } from './postgres-cluster.js';
import { freePorts, killOwnedNow, mark, stopAll } from './processes.js';

const PROCESSES = Number(process.env['TOPOLOGY_PROCESSES'] ?? 4);
const INCREMENTS = Number(process.env['TOPOLOGY_INCREMENTS'] ?? 150);
const ROWS = 3;
/** No increment starts after this long in one torture; the whole run is bounded by the sum. */
const TORTURE_LIMIT_MS = Number(process.env['TOPOLOGY_TORTURE_LIMIT_MS'] ?? 180_000);
const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wants = (name: string) => picked.length === 0 || picked.includes(name);

interface Line {
  topology: string;
  driver: string;
  result?: TortureResult;
  error?: string;
  /** Reported only, not failing the run (`--known-bad`). */
  knownBad?: boolean;
  /** Loud failures are the expected outcome; lost updates and wrong rows still fail the run. */
  failuresAllowed?: boolean;
}
const lines: Line[] = [];

if (process.getuid?.() !== 0) {
  console.error('npm run test:topologies runs as root: it installs pgbouncer when missing and starts the servers as the postgres and mysql users');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'dc-topologies-'));
chmodSync(dir, 0o755);
const cleanUp = () => {
  killOwnedNow();
  rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}
process.once('exit', killOwnedNow);
/** The whole run is bounded too: past this, whatever still runs is killed and the run fails. */
const RUN_LIMIT_MS = Number(process.env['TOPOLOGY_RUN_LIMIT_MS'] ?? 40 * 60_000);
setTimeout(() => {
  console.error(`test:topologies: still running after ${RUN_LIMIT_MS / 60_000} min; stopping its servers`);
  cleanUp();
  process.exit(1);
}, RUN_LIMIT_MS).unref();

async function measure(topology: string, driver: string, dialect: 'pg' | 'mysql', where: TortureTopology, processes = PROCESSES): Promise<void> {
  try {
    const result = await torture(dialect, 'library', processes, INCREMENTS, ROWS, { timeLimitMs: TORTURE_LIMIT_MS, ...where });
    lines.push({ topology, driver, result });
  } catch (error) {
    lines.push({ topology, driver, error: String((error as Error)?.stack ?? error) });
  }
  print(lines[lines.length - 1]!);
}

const counts = (c: Record<string, number>) => {
  const entries = Object.entries(c);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
};

function print(line: Line): void {
  const head = `${line.topology} / ${line.driver}:`;
  if (line.error) return void console.log(`${head} RUN FAILED: ${line.error.split('\n').slice(0, 3).join(' | ')}`);
  const r = line.result!;
  console.log(
    `${head} ${r.processes}×${INCREMENTS} acknowledged ${r.successes}, stored ${r.finalSum}, lost ${r.lost}, wrong rows ${r.wrongRows}, ` +
      `conflicts ${r.conflicts}, transient retried: ${counts(r.transient)}, failures: ${counts(r.failures)}` +
      `${r.skipped ? `, not started (time limit) ${r.skipped}` : ''}, ${(r.ms / 1000).toFixed(1)} s`,
  );
  for (const u of r.unexpected.slice(0, 2)) {
    const [first, ...rest] = u.split('\n');
    console.log(`    e.g. ${first}`);
    for (const cause of rest.filter((l) => l.startsWith('caused by '))) console.log(`      ${cause}`);
  }
}

/** Runs one topology's set-up and tortures; a set-up failure is one failed line, the others still run. */
async function topology(name: string, body: () => Promise<void>): Promise<void> {
  const since = mark();
  try {
    await body();
  } catch (error) {
    lines.push({ topology: `${name} set-up`, driver: '-', error: String((error as Error)?.stack ?? error) });
    print(lines[lines.length - 1]!);
    keepLogs = true;
  } finally {
    await stopAll(since);
  }
}
let keepLogs = false;

const started = Date.now();
if (wants('pgbouncer') || wants('replica')) {
  await topology('postgresql', async () => {
    const [primaryPort, replicaPort, bouncerPort] = await freePorts(3);
    let t = Date.now();
    const cluster = await startPgCluster(dir, primaryPort!, replicaPort!);
    console.log(`postgresql 15 primary :${primaryPort} + streaming replica :${replicaPort} up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    if (wants('pgbouncer')) {
      await topology('pgbouncer', async () => {
        t = Date.now();
        const version = ensurePgbouncer();
        const bouncer = await startPgbouncer(dir, bouncerPort!, primaryPort!, 2);
        console.log(`${version} :${bouncerPort}, transaction pooling, 2 server connections for ${PROCESSES} clients, up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
        const through = { urls: [bouncer.url], setupUrl: cluster.primaryUrl };
        await measure('pgbouncer transaction pool', 'postgres.js prepare:false', 'pg', { ...through, worker: { driver: 'postgres-js', prepare: false } });
        await measure('pgbouncer transaction pool', 'node-postgres (defaults)', 'pg', { ...through, worker: { driver: 'node-postgres' } });
        await measure('pgbouncer transaction pool, batches', 'postgres.js prepare:false', 'pg', { ...through, worker: { driver: 'postgres-js', prepare: false, batch: true } });
        await measure('pgbouncer transaction pool, batches', 'node-postgres (defaults)', 'pg', { ...through, worker: { driver: 'node-postgres', batch: true } });
        // postgres.js's default behind this pooler: its named COMMIT fails to bind and the
        // re-sent COMMIT ends the aborted transaction as ROLLBACK without an error. The batches
        // confirm their commit there: such a batch must fail loudly, never count as applied.
        await measure('pgbouncer transaction pool, batches', 'postgres.js prepare:true (commit confirmed)', 'pg', { ...through, worker: { driver: 'postgres-js', batch: true } });
        lines[lines.length - 1]!.failuresAllowed = true;
      });
    }
    if (wants('replica')) {
      const split = { urls: [cluster.primaryUrl], readUrl: cluster.replicaUrl };
      await measure('pg streaming replica (reads) + primary (writes)', 'postgres.js', 'pg', { ...split, worker: { driver: 'postgres-js', continueFromCurrent: true } });
      await measure('pg streaming replica (reads) + primary (writes)', 'node-postgres', 'pg', { ...split, worker: { driver: 'node-postgres', continueFromCurrent: true } });
    }
  });
}
if (wants('galera')) {
  await topology('galera', async () => {
    const t = Date.now();
    const galera = await startGalera(dir);
    console.log(`mariadb galera 3 nodes ${galera.urls.map((u) => u.replace(/^.*:(\d+)\/.*$/, ':$1')).join(' ')} up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // As many writers on every node: the processes rounded up to a multiple of the nodes.
    const writers = Math.ceil(PROCESSES / galera.urls.length) * galera.urls.length;
    const cluster = { urls: galera.urls, beforeSum: ['set session wsrep_sync_wait = 1'] };
    await measure('galera 3 nodes, writers on every node', 'mysql2', 'mysql', { ...cluster, worker: { retryTransient: true } }, writers);
    await measure('galera 3 nodes, writers on every node, batches', 'mysql2', 'mysql', { ...cluster, worker: { retryTransient: true, batch: true } }, writers);
  });
}

console.log(`\n--- topologies summary (${((Date.now() - started) / 1000).toFixed(0)} s) ---`);
for (const line of lines) print(line);
const bad = lines.filter((l) => !l.knownBad && (l.error || !l.result || l.result.lost !== 0 || l.result.wrongRows > 0 || (!l.failuresAllowed && Object.keys(l.result.failures).length > 0)));
if (keepLogs) console.log(`server logs kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
if (bad.length > 0) {
  console.log(`FAILED: ${bad.map((l) => `${l.topology} / ${l.driver}`).join('; ')}`);
  process.exitCode = 1;
}
