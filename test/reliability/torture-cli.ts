/**
 * `npm run torture`: the full-size reliability run. Multi-process torture (8 × 1,000 by
 * default; `TORTURE_PROCESSES`, `TORTURE_INCREMENTS`), library vs plain updates, on every
 * dialect that answers, then the fuzz properties with more runs (`FUZZ_RUNS`, default 2,000);
 * prints a summary and exits 1 when a versioned write lost an update.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeTestDatabases, testDatabases } from '../support/databases.js';
import { torture, type TortureResult } from './support/torture.js';

const processes = Number(process.env['TORTURE_PROCESSES'] ?? 8);
const increments = Number(process.env['TORTURE_INCREMENTS'] ?? 1000);
const fuzzRuns = Number(process.env['FUZZ_RUNS'] ?? 2000);
const dialects = [...new Set((await testDatabases()).map((d) => d.dialect))];
await closeTestDatabases();

const results: TortureResult[] = [];
for (const dialect of dialects) {
  for (const mode of ['library', 'plain'] as const) {
    const r = await torture(dialect, mode, processes, increments, 3);
    results.push(r);
    console.log(
      `${dialect.padEnd(6)} ${mode.padEnd(7)} ${r.processes}×${increments}: ops ${r.operations}, ok ${r.successes}, conflicts ${r.conflicts}, ` +
        `sum ${r.finalSum}, lost ${r.lost}, unexpected ${r.unexpected.length}, ${(r.ms / 1000).toFixed(1)} s`,
    );
    for (const u of r.unexpected.slice(0, 3)) console.log(`    unexpected: ${u.split('\n')[0]}`);
  }
}

// Faults, fuzz, hostile identifiers and codegen crashes run as their test files, bigger.
const root = fileURLToPath(new URL('../../', import.meta.url));
const suites = spawnSync(process.execPath, ['--import', 'tsx', 'test/run.ts', 'reliability/'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, FUZZ_RUNS: String(fuzzRuns), RELIABILITY_FULL: '1', RELIABILITY_SKIP_TORTURE: '1' },
});
const lines = `${suites.stdout}\n${suites.stderr}`.split('\n');
console.log('\n--- reliability suites (full size) ---');
for (const line of lines) {
  const note = /\s{2}((?:fault|fuzz|hostile codegen|codegen) .*)$/.exec(line)?.[1];
  if (note) console.log(`  ${note}`);
  else if (/passed, \d+ failed|FAIL/.test(line)) console.log(line);
}

console.log('\n--- summary ---');
for (const r of results) console.log(`${r.dialect}/${r.mode}: operations ${r.operations}, conflicts ${r.conflicts}, lost updates ${r.lost}`);
const bad = results.filter((r) => r.mode === 'library' && (r.lost !== 0 || r.unexpected.length > 0));
if (bad.length > 0 || suites.status !== 0) process.exitCode = 1;
