/**
 * Codegen variants, same run: `drizzle-concurrency generate` (dist/codegen/cli.js, as the CLI
 * runs it) on the corpus schemas (fixtures/corpus/<dialect>) and on generated SQLite schemas of
 * N tables, one child process per run, each variant an environment of its own (`--variants`
 * '{"name": {"VAR": "value"}}'): the build under test reads the variables it compares (for issue
 * 14, `DC_BENCH_SCAN=inprocess` and `DC_BENCH_TSMORPH=plain`, patched in for the measurement and
 * removed after). Runs are interleaved; median wall time and minimum (the run least disturbed
 * by other load), each with its ratio to the first variant. A variant's `DC_CLI` runs another
 * build's `dist/codegen/cli.js` instead (how the worker-thread scan was measured after its
 * removal: a worktree with the removal reverted, built). Needs `npm run build`.
 * Usage: node --import tsx bench/codegen-variants.ts [--runs 5] [--tables 500,2000]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const RUNS = Number(option('--runs', '5'));
const SIZES = option('--tables', '500,2000').split(',').filter(Boolean).map(Number);
const VARIANTS: Record<string, Record<string, string>> = JSON.parse(
  option('--variants', JSON.stringify({ worker: {}, 'in-process': { DC_BENCH_SCAN: 'inprocess' } })),
) as Record<string, Record<string, string>>;
const KIT_NAME = { pg: 'postgresql', mysql: 'mysql', sqlite: 'turso' } as const;

function generated(n: number): string {
  const kinds = ['integerVersion()', 'timestampVersion()', 'triggerVersion()', "conditionalVersion({ checkFields: ['title'] })"];
  const lines = [
    "import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';",
    "import { conditionalVersion, integerVersion, timestampVersion, triggerVersion } from 'drizzle-concurrency/sqlite-core';",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(`export const t${i} = sqliteTable('t${i}', { id: integer().primaryKey(), title: text().notNull(), body: text(), n: integer().notNull().default(0), version: ${kinds[i % 4]} });`);
  }
  return lines.join('\n') + '\n';
}

/** A project folder with the schema and drizzle-kit's migrations, kept as `kit-output`. */
function project(name: string, dialect: keyof typeof KIT_NAME, schema: string): string {
  const dir = join(ROOT, '.tmp', `bench-variants-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schema.ts'), schema);
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: '${KIT_NAME[dialect]}', schema: './schema.ts', out: './kit-output', casing: 'snake_case', dbCredentials: { url: 'file:dev.db' } });\n`,
  );
  const kit = spawnSync(process.execPath, [join(ROOT, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--name', 'init'], { cwd: dir, encoding: 'utf8' });
  if (kit.status !== 0) throw new Error(`drizzle-kit failed in ${dir}:\n${kit.stdout}\n${kit.stderr}`);
  writeFileSync(join(dir, 'drizzle.config.ts'), readFileSync(join(dir, 'drizzle.config.ts'), 'utf8').replace('./kit-output', './drizzle'));
  return dir;
}

function run(dir: string, env: Record<string, string>): number {
  rmSync(join(dir, 'drizzle'), { recursive: true, force: true });
  rmSync(join(dir, 'test'), { recursive: true, force: true });
  cpSync(join(dir, 'kit-output'), join(dir, 'drizzle'), { recursive: true });
  const start = performance.now();
  // `DC_CLI` in a variant names another build's CLI (e.g. a worktree with a change reverted).
  const cli = env['DC_CLI'] ?? join(ROOT, 'dist/codegen/cli.js');
  const r = spawnSync(process.execPath, [cli, 'generate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`generate failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cases: [string, string][] = [
  ...(['pg', 'mysql', 'sqlite'] as const).map((d): [string, string] => [`corpus ${d}`, project(`corpus-${d}`, d, readFileSync(join(ROOT, 'fixtures/corpus', d, 'schema.ts'), 'utf8'))]),
  ...SIZES.map((n): [string, string] => [`${n} tables`, project(`t${n}`, 'sqlite', generated(n))]),
];
const names = Object.keys(VARIANTS);
for (const [label, dir] of cases) {
  for (const name of names) run(dir, VARIANTS[name]!); // warm-up (code cache, page cache)
  const times = new Map(names.map((n) => [n, [] as number[]]));
  for (let r = 0; r < RUNS; r++) for (const name of names) times.get(name)!.push(run(dir, VARIANTS[name]!));
  const base = median(times.get(names[0]!)!);
  const least = Math.min(...times.get(names[0]!)!);
  const parts = names.map((n) => {
    const t = times.get(n)!;
    return `${n} median ${median(t).toFixed(3)} s (${(median(t) / base).toFixed(2)}), min ${Math.min(...t).toFixed(3)} s (${(Math.min(...t) / least).toFixed(2)})`;
  });
  console.log(`${label.padEnd(14)} ${parts.join(' · ')}`);
  rmSync(dir, { recursive: true, force: true });
}
