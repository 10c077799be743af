import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { shown } from '../codegen-error.js';
import type { CollectedSchema } from '../collect/collect-schema.js';
import type { CodegenConfig } from '../config/load-config.js';
import type { PlannedFile } from '../emit/file-batch.js';
import { factoryNeedsOf, oldFactoriesHint, renderFactories, renderFactoryTypes, unfillableColumns } from './render-factories.js';
import { renderSetup } from './render-setup.js';
import { banner, renderHarness, renderTestSuite, tableLabel } from './render-test-suite.js';

/** A file name for a table's suite: `warehouse.stock_levels` → `warehouse-stock-levels.test.ts`. */
function slug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'table';
}

/** How a generated file imports `module` (a schema file): relative, `.ts` written as `.js`. */
function importPathFrom(dir: string) {
  return (module: string) => {
    const rel = relative(dir, module).replaceAll('\\', '/').replace(/\.(m?)ts$/, '.$1js');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
}

/**
 * The generated conflict tests of every versioned table, plus the user-owned `setup.ts` and
 * `factories.ts` (created once); nothing when no table is versioned. `stale` lists generated
 * suites of tables that are gone; `hints`, what the user should change in their own files (an
 * old-format factories.ts).
 */
export function testFiles(
  dir: string,
  config: CodegenConfig,
  schema: CollectedSchema,
  sources: readonly string[],
): { files: PlannedFile[]; stale: string[]; unfillable: string[]; hints: string[] } {
  const needs = factoryNeedsOf(schema.tables.map((t) => t.table), config.dialect, schema.exports);
  // No versioned table, no suite: nor their setup, factories and harness.
  const files: PlannedFile[] = schema.tables.length === 0 ? [] : [
    { path: join(dir, 'setup.ts'), content: renderSetup(config.dialect, importPathFrom(dir)(config.file), basename(config.file)), createOnly: true },
    { path: join(dir, 'factories.ts'), content: renderFactories(needs), createOnly: true },
    { path: join(dir, 'factory-types.ts'), content: renderFactoryTypes(needs, schema.exports, importPathFrom(dir), sources) },
    { path: join(dir, 'harness.ts'), content: renderHarness(sources, config.dialect) },
  ];
  const used = new Set<string>();
  for (const table of schema.tables) {
    let name = slug(tableLabel(table.table));
    for (let i = 2; used.has(name); i++) name = `${slug(tableLabel(table.table))}-${i}`;
    used.add(name);
    files.push({ path: join(dir, `${name}.test.ts`), content: renderTestSuite(table, schema.exports, importPathFrom(dir), sources, config.casing) });
  }
  const wanted = new Set(files.map((f) => f.path));
  const ours = banner(sources).split(' from ')[0]!;
  const stale = existsSync(dir)
    ? readdirSync(dir)
        .map((f) => join(dir, f))
        .filter((f) => f.endsWith('.test.ts') && !wanted.has(f) && readFileSync(f, 'utf8').startsWith(ours))
    : [];
  const factories = join(dir, 'factories.ts');
  const hint = files.length > 0 && existsSync(factories) ? oldFactoriesHint(shown(factories), readFileSync(factories, 'utf8')) : undefined;
  return { files, stale, unfillable: unfillableColumns(needs), hints: hint === undefined ? [] : [hint] };
}
