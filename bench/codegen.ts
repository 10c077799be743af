/**
 * Codegen benchmark: `drizzle-concurrency generate` vs `drizzle-kit generate` on generated
 * schemas of N tables (each command as a child process, wall time, same run, median of runs),
 * peak RSS too: ours writing the trigger migration only (like for like) and as the CLI runs it
 * (with one generated test suite per table).
 * Usage: node --import tsx bench/codegen.ts [--tables 50,500,2000]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const arg = process.argv.indexOf('--tables');
const sizes = (arg > 0 ? process.argv[arg + 1]! : '50,500').split(',').map(Number);
const KINDS = ['integerVersion()', 'timestampVersion()', 'triggerVersion()', "conditionalVersion({ checkFields: ['title'] })"];

function schema(n: number): string {
  const lines = [
    "import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';",
    "import { conditionalVersion, integerVersion, timestampVersion, triggerVersion } from 'drizzle-concurrency/sqlite-core';",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `export const t${i} = sqliteTable('t${i}', { id: integer().primaryKey(), title: text().notNull(), body: text(), n: integer().notNull().default(0), version: ${KINDS[i % 4]} });`,
    );
  }
  return lines.join('\n') + '\n';
}

interface Timed {
  seconds: number;
  rssMb: number;
}

function timed(args: string[], cwd: string): Timed {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  const rss = Number(r.stderr.trim().split('\n').pop()) / 1024;
  return { seconds: (performance.now() - start) / 1000, rssMb: rss };
}

/** Median by wall time. */
function medianRun(runs: Timed[]): Timed {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

export interface CodegenRow {
  tables: number;
  runs: number;
  /** `drizzle-kit generate`: the initial migration. */
  kit: Timed;
  /** Our `generate --no-tests`: the trigger migration only, like for like. */
  migrations: Timed;
  /** Our `generate` as the CLI runs it: the trigger migration and one conflict-test suite per versioned table. */
  full: Timed;
}

const CACHE = join(ROOT, 'node_modules/.cache/drizzle-concurrency');

/**
 * The three commands on one schema of `n` tables, `runs` times each, interleaved; medians.
 * Ours runs on the migrations drizzle-kit just wrote (it needs its snapshot), restored before
 * each of our runs. The first of our runs after clearing the ts-morph code cache is reported
 * apart (`coldSeconds`): later runs reuse the cache.
 */
export function benchCodegen(n: number, runs = 3): CodegenRow & { coldSeconds: number } {
  const dir = join(ROOT, '.tmp', `bench-codegen-${n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schema.ts'), schema(n));
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'turso', schema: './schema.ts', out: './drizzle', dbCredentials: { url: 'file:dev.db' } });\n",
  );
  const kitCommand = [join(ROOT, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--name', 'init'];
  const migrationsOnly = [join(ROOT, 'dist/codegen/cli.js'), 'generate', '--no-tests'];
  const fullCommand = [join(ROOT, 'dist/codegen/cli.js'), 'generate'];
  const reset = () => {
    rmSync(join(dir, 'drizzle'), { recursive: true, force: true });
    rmSync(join(dir, 'test'), { recursive: true, force: true });
    cpSync(join(dir, 'kit-output'), join(dir, 'drizzle'), { recursive: true });
  };
  const kit: Timed[] = [];
  const migrations: Timed[] = [];
  const full: Timed[] = [];
  let coldSeconds = Number.NaN;
  for (let r = 0; r < runs; r++) {
    rmSync(join(dir, 'drizzle'), { recursive: true, force: true });
    kit.push(timed(kitCommand, dir));
    if (r === 0) {
      cpSync(join(dir, 'drizzle'), join(dir, 'kit-output'), { recursive: true });
      rmSync(CACHE, { recursive: true, force: true });
      reset();
      coldSeconds = timed(migrationsOnly, dir).seconds;
    }
    reset();
    migrations.push(timed(migrationsOnly, dir));
    reset();
    full.push(timed(fullCommand, dir));
  }
  rmSync(dir, { recursive: true, force: true });
  return { tables: n, runs, kit: medianRun(kit), migrations: medianRun(migrations), full: medianRun(full), coldSeconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of sizes) {
    const r = benchCodegen(n);
    console.log(
      `${String(n).padStart(5)} tables: drizzle-kit ${r.kit.seconds.toFixed(2)} s · ours, migrations ${r.migrations.seconds.toFixed(2)} s (ratio ${(r.migrations.seconds / r.kit.seconds).toFixed(2)}, cold cache ${r.coldSeconds.toFixed(2)} s) · ours, with ${n} test suites ${r.full.seconds.toFixed(2)} s (ratio ${(r.full.seconds / r.kit.seconds).toFixed(2)})`,
    );
  }
}
