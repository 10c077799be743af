/**
 * Codegen benchmark: `drizzle-concurrency generate` vs `drizzle-kit generate` on generated
 * schemas of N tables (each command as a child process, wall time, same run), peak RSS too.
 * Usage: node --import tsx bench/codegen.ts [--tables 50,500,2000]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

function timed(args: string[], cwd: string): { seconds: number; rssMb: number } {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  const rss = Number(r.stderr.trim().split('\n').pop()) / 1024;
  return { seconds: (performance.now() - start) / 1000, rssMb: rss };
}

export interface CodegenRow {
  tables: number;
  kit: { seconds: number; rssMb: number };
  ours: { seconds: number; rssMb: number };
}

export function benchCodegen(n: number): CodegenRow {
  const dir = join(ROOT, '.tmp', `bench-codegen-${n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schema.ts'), schema(n));
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'turso', schema: './schema.ts', out: './drizzle', dbCredentials: { url: 'file:dev.db' } });\n",
  );
  const kit = timed([join(ROOT, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--name', 'init'], dir);
  const ours = timed([join(ROOT, 'dist/codegen/cli.js'), 'generate'], dir);
  rmSync(dir, { recursive: true, force: true });
  return { tables: n, kit, ours };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of sizes) {
    const r = benchCodegen(n);
    console.log(
      `${String(n).padStart(5)} tables: drizzle-concurrency generate ${r.ours.seconds.toFixed(2)} s (${r.ours.rssMb.toFixed(0)} MB) vs drizzle-kit generate ${r.kit.seconds.toFixed(2)} s (${r.kit.rssMb.toFixed(0)} MB): ratio ${(r.ours.seconds / r.kit.seconds).toFixed(2)}`,
    );
  }
}
