/**
 * `npm run bench`: every benchmark in one run — overhead per driver, contention sweep, batch,
 * codegen, peers — printing the machine and versions first and writing `bench/RESULTS.md` and
 * `bench/contention.svg`. `npm run bench:smoke` (`--smoke`) runs a seconds-long version of each
 * part and writes to `.tmp/bench/` instead, never over the committed results.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeTestDatabases, testDatabases, type TestDatabase } from '../test/support/databases.js';
import { batch } from './batch.js';
import { contentionSvg } from './chart.js';
import { benchCodegen } from './codegen.js';
import { contention } from './contention.js';
import { overhead } from './overhead.js';
import { resultsMarkdown, type BenchResults } from './results-md.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PEERS = join(ROOT, 'bench/peers');
const smoke = process.argv.includes('--smoke');
const outDir = smoke ? join(ROOT, '.tmp/bench') : join(ROOT, 'bench');
const started = performance.now();

const settings: BenchResults['settings'] = smoke
  ? {
      overhead: { ops: 100, rounds: 3 },
      batch: { sizes: [10, 100], runs: 3 },
      peers: { ops: 100, rounds: 3 },
      contention: { writers: [1, 16], seconds: 0.15, keys: 100, zipfS: 1.1, attempts: 100, repeats: 1 },
      codegen: [50],
    }
  : {
      overhead: { ops: 1500, rounds: 7 },
      batch: { sizes: [10, 100, 1000], runs: 7 },
      peers: { ops: 1000, rounds: 7 },
      contention: { writers: [1, 2, 4, 8, 16, 32, 64], seconds: 1, keys: 100, zipfS: 1.1, attempts: 100, repeats: 5 },
      codegen: [50, 500, 2000],
    };

/** Installed version of a root dependency (read from disk: not every package exports its package.json). */
const version = (name: string) => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
};

async function serverVersions(dbs: TestDatabase[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const d of dbs) {
    if (d.name === 'pg/postgres-js') out['PostgreSQL server'] = String((await d.db.execute('select version() as v'))[0]?.v).split(' on ')[0]!;
    if (d.name === 'mysql/mysql2') out['MariaDB/MySQL server'] = String((await d.db.execute('select version() as v'))[0]?.[0]?.v);
    if (d.name === 'sqlite/libsql-file') out['SQLite (libSQL)'] = String((await d.db.run('select sqlite_version() as v')).rows[0]?.v);
  }
  return out;
}

function ensurePeers(notes: string[]): boolean {
  if (existsSync(join(PEERS, 'node_modules/sequelize'))) return true;
  console.log('installing bench/peers (npm ci --prefix bench/peers) …');
  const r = spawnSync('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status === 0) return true;
  notes.push('Peers skipped: `npm ci --prefix bench/peers` failed.');
  return false;
}

function ensureBuild(notes: string[]): boolean {
  if (smoke && existsSync(join(ROOT, 'dist/codegen/cli.js'))) return true;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    return true;
  } catch {
    notes.push('Codegen skipped: `npm run build` failed (the codegen bench runs dist/codegen/cli.js).');
    return false;
  }
}

const part = (name: string) => console.log(`\n== ${name} ==`);

const machine: Record<string, string> = {
  CPU: os.cpus()[0]?.model ?? 'unknown',
  cores: String(os.cpus().length),
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  OS: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  'load average at start (1 min)': os.loadavg()[0]!.toFixed(2),
};
const notes: string[] = [];
const results: BenchResults = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  mode: smoke ? 'smoke' : 'full',
  machine,
  versions: {},
  settings,
  overhead: [],
  batch: [],
  codegen: [],
  peers: [],
  contention: [],
  notes,
  seconds: 0,
};

try {
  const dbs = await testDatabases();
  const peersReady = ensurePeers(notes);
  const peerModule = peersReady ? await import('./peers/peers.js') : undefined;
  results.versions = {
    'drizzle-orm': version('drizzle-orm'),
    'drizzle-kit': version('drizzle-kit'),
    postgres: version('postgres'),
    pg: version('pg'),
    mysql2: version('mysql2'),
    '@libsql/client': version('@libsql/client'),
    'better-sqlite3': version('better-sqlite3'),
    '@electric-sql/pglite': version('@electric-sql/pglite'),
    vega: version('vega'),
    'vega-lite': version('vega-lite'),
    ...(await serverVersions(dbs)),
    ...Object.fromEntries(Object.entries(peerModule?.peerVersions() ?? {}).map(([k, v]) => [`peers: ${k}`, v])),
  };
  for (const [k, v] of Object.entries({ ...machine, ...results.versions })) console.log(`${k.padEnd(24)} ${v}`);

  part('1. overhead (versioned / plain throughput)');
  for (const d of dbs) {
    const rows = await overhead(d, settings.overhead);
    results.overhead.push(...rows);
    for (const x of rows) console.log(`${x.driver.padEnd(22)} ${x.measure.padEnd(40)} ratio ${x.ratio.toFixed(3)}  (${x.versionedPerSec.toFixed(0)}/s vs ${x.plainPerSec.toFixed(0)}/s)`);
  }

  part('3. batch (versionedUpdateMany vs single calls)');
  for (const d of dbs.filter((x) => ['pg/postgres-js', 'mysql/mysql2', 'sqlite/libsql-file'].includes(x.name))) {
    const rows = await batch(d, settings.batch.sizes, settings.batch.runs);
    results.batch.push(...rows);
    for (const b of rows) console.log(`${b.driver.padEnd(22)} ${String(b.rows).padStart(5)} rows: ${b.speedup.toFixed(1)}× (${b.batchMs.toFixed(1)} ms vs ${b.singlesMs.toFixed(1)} ms), statements ${b.batchStatements} vs ${b.singleStatements}`);
  }

  part('5. peers (versionedUpdate / peer throughput)');
  if (peerModule) {
    for (const d of dbs.filter((x) => ['pg/postgres-js', 'mysql/mysql2'].includes(x.name))) {
      const rows = await peerModule.peers(d, settings.peers.ops, settings.peers.rounds);
      results.peers.push(...rows);
      for (const p of rows) console.log(`${p.dialect.padEnd(6)} ${p.peer.padEnd(34)} ratio ${p.ratio.toFixed(2)}  (${p.drizzlePerSec.toFixed(0)}/s vs ${p.peerPerSec.toFixed(0)}/s)`);
    }
  }

  part('2. contention sweep');
  if (dbs.some((d) => d.name === 'pg/postgres-js') && dbs.some((d) => d.name === 'mysql/mysql2')) {
    results.contention = await contention(settings.contention);
  } else notes.push('Contention skipped: it needs both PostgreSQL and MariaDB.');
} finally {
  await closeTestDatabases();
}

part('4. codegen (ours vs drizzle-kit generate)');
if (ensureBuild(notes)) {
  for (const n of settings.codegen) {
    const r = benchCodegen(n, smoke ? 1 : 3);
    results.codegen.push(r);
    console.log(
      `${String(n).padStart(5)} tables: drizzle-kit ${r.kit.seconds.toFixed(2)} s · ours, migrations ${r.migrations.seconds.toFixed(2)} s (ratio ${(r.migrations.seconds / r.kit.seconds).toFixed(2)}) · with suites ${r.full.seconds.toFixed(2)} s (ratio ${(r.full.seconds / r.kit.seconds).toFixed(2)})`,
    );
  }
}

results.seconds = (performance.now() - started) / 1000;
machine['load average at end (1 min)'] = os.loadavg()[0]!.toFixed(2);
mkdirSync(outDir, { recursive: true });
const subtitle = `${machine.CPU}, ${machine.cores} cores · node ${machine.node} · drizzle-orm ${results.versions['drizzle-orm']} · ${results.date}${smoke ? ' · SMOKE' : ''}`;
if (results.contention.length > 0) writeFileSync(join(outDir, 'contention.svg'), await contentionSvg(results.contention, subtitle));
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(outDir, 'RESULTS.md'), resultsMarkdown(results, 'contention.svg'));
console.log(`\nwrote ${join(outDir, 'RESULTS.md')}, contention.svg, results.json in ${(results.seconds / 60).toFixed(1)} min`);
for (const n of notes) console.log(`note: ${n}`);
