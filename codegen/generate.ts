import { join, relative, resolve } from 'node:path';
import { CodegenError, shown } from './codegen-error.js';
import { collectSchema, type CollectedSchema } from './collect/collect-schema.js';
import { loadConfig, type CodegenConfig } from './config/load-config.js';
import { changedFiles, staleTemporaries, writeAll, type PlannedFile } from './emit/file-batch.js';
import { withGenerateLock } from './emit/generate-lock.js';
import { readMigrationsFolder, snapshotTables, type MigrationsFolder } from './emit/migrations-folder.js';
import { migrationFiles, renderMigration } from './emit/trigger-migration.js';
import { isEmptyPlan, planTriggers, type TriggerPlan } from './plan/trigger-plan.js';
import type { TriggerSpec } from '../src/triggers/trigger-spec.js';
import { testFiles } from './tests/test-files.js';

/** Options of {@link generate} and {@link check}. */
export interface GenerateOptions {
  /** Path of the drizzle config. Default `drizzle.config.ts`. */
  config?: string;
  /** Folder of the generated conflict tests (default `test/concurrency` beside the config); `false`: none. */
  tests?: string | false;
  /** Clock for the journal's `when` (tests). */
  now?: () => number;
  /** Runs after planning, before anything is written (tests: a concurrent writer at that exact moment). */
  beforeWrite?: () => void | Promise<void>;
}

/** What a generate run found and would write. */
export interface GenerationPlan {
  config: CodegenConfig;
  schema: CollectedSchema;
  triggers: TriggerPlan;
  /** Files to write, in order (the journal last); empty when nothing changed. */
  files: PlannedFile[];
  /** Stale files of an interrupted run to remove. */
  remove: string[];
  /** `table.column (type)` of the columns the generated tests cannot fill: factories.ts must. */
  unfillable: string[];
  /** One-line hints about the user's own files (a factories.ts still exporting `overrides`). */
  hints: string[];
}

/** The folder of the generated conflict tests, or `undefined` when they are off. */
function testsFolder(options: GenerateOptions, config: CodegenConfig): string | undefined {
  return options.tests === false ? undefined : resolve(config.root, options.tests ?? 'test/concurrency');
}

/** Refuses triggers on tables the drizzle-kit migrations do not create yet. */
function checkTablesMigrated(plan: TriggerPlan, folder: MigrationsFolder, schema: CollectedSchema, config: CodegenConfig): void {
  const known = snapshotTables(folder.lastSnapshot.json);
  // Placing a call site reads source maps: only for the table being refused.
  const where = (spec: TriggerSpec) => {
    const site = schema.tables.find((t) => t.trigger === spec)?.site;
    return site ? { file: shown(site.file), line: site.line } : { file: shown(folder.lastSnapshot.path) };
  };
  for (const spec of plan.creates) {
    const key = config.dialect.snapshotKeys(spec).find((k) => known.has(k));
    const columns = key === undefined ? undefined : known.get(key);
    if (!columns) throw new CodegenError(`"${spec.table}" is not in the drizzle-kit migrations yet: run drizzle-kit generate first`, where(spec));
    if (!columns.has(spec.column)) {
      throw new CodegenError(`"${spec.table}"."${spec.column}" is not in the drizzle-kit migrations yet: run drizzle-kit generate first`, where(spec));
    }
  }
}

/** Collects the schema and plans every file `generate` would write. Writes nothing. */
export async function planGeneration(options: GenerateOptions = {}, loaded?: CodegenConfig): Promise<GenerationPlan> {
  const config = loaded ?? (await loadConfig(options.config));
  const collecting = collectSchema(config);
  collecting.catch(() => {});
  // Read the migrations folder while esbuild bundles the schema; the schema's errors come first.
  await new Promise((next) => setImmediate(next));
  let folder: MigrationsFolder | undefined;
  let folderError: unknown;
  try {
    folder = readMigrationsFolder(config.out, config.dialect);
  } catch (error) {
    folderError = error;
  }
  const schema = await collecting;
  if (!folder) throw folderError;
  const desired = schema.tables.flatMap((t) => (t.trigger ? [t.trigger] : []));
  const triggers = planTriggers(folder.emitted, desired);
  // The schema as the config names it: a glob stays one short name, not every file it matched.
  const sources = config.schema.map((f) => relative(config.root, f).replaceAll('\\', '/'));
  const folderOfTests = testsFolder(options, config);
  const tests = folderOfTests === undefined ? { files: [], stale: [], unfillable: [], hints: [] } : testFiles(folderOfTests, config, schema, sources);
  let files: PlannedFile[] = [...tests.files];
  if (!isEmptyPlan(triggers)) {
    checkTablesMigrated(triggers, folder, schema, config);
    files = [...files, ...migrationFiles(folder, renderMigration(triggers, sources, config.dialect), (options.now ?? Date.now)())];
  }
  // An orphan of an interrupted run that this run plans again is kept (and re-registered).
  const planned = new Set(files.map((f) => f.path));
  const orphans = folder.orphans.map((f) => join(config.out, f)).filter((path) => !planned.has(path));
  return { config, schema, triggers, files: changedFiles(files), remove: [...orphans, ...tests.stale], unfillable: tests.unfillable, hints: tests.hints };
}

/** What a generate run did: files written (created or replaced) and stale files removed. */
export interface GenerateReport {
  written: string[];
  removed: string[];
  /** Columns the generated tests cannot fill (see {@link GenerationPlan.unfillable}). */
  unfillable: string[];
  /** Hints about the user's own files (see {@link GenerationPlan.hints}). */
  hints: string[];
}

/**
 * {@link generate}, telling the files written from the stale ones removed (the CLI prints both).
 * @example
 * const { written, removed } = await generateReport({ config: 'drizzle.config.ts' })
 */
export async function generateReport(options: GenerateOptions = {}): Promise<GenerateReport> {
  const config = await loadConfig(options.config);
  // Plan under the lock, so another run cannot commit between reading the journal and writing it.
  return withGenerateLock(config.out, async () => {
    const plan = await planGeneration(options, config);
    // Under the lock no other run is writing: temporary files still around were left by a dead one.
    const leftovers = staleTemporaries([config.out, join(config.out, 'meta'), testsFolder(options, config)]);
    if (plan.files.length === 0 && plan.remove.length === 0 && leftovers.length === 0) return { written: [], removed: [], unfillable: plan.unfillable, hints: plan.hints };
    await options.beforeWrite?.();
    writeAll(plan.files, [...plan.remove, ...leftovers]);
    return { written: plan.files.map((f) => f.path), removed: plan.remove, unfillable: plan.unfillable, hints: plan.hints };
  });
}

/**
 * Writes the trigger migration and the conflict tests for the schema of a drizzle config.
 * Nothing changed → nothing written. Bad input → `CodegenError`, nothing written. Returns the
 * paths written, then the stale ones removed.
 * @example
 * const written = await generate({ config: 'drizzle.config.ts' })
 * // ['drizzle/0003_concurrency_triggers.sql', 'drizzle/meta/0003_snapshot.json', 'drizzle/meta/_journal.json']
 */
export async function generate(options: GenerateOptions = {}): Promise<string[]> {
  const { written, removed } = await generateReport(options);
  return [...written, ...removed];
}

/**
 * The files `generate` would write or change, for CI: empty when everything is up to date.
 * @example
 * const stale = await check({ config: 'drizzle.config.ts' }) // [] when clean
 */
export async function check(options: GenerateOptions = {}): Promise<string[]> {
  const plan = await planGeneration(options);
  return [...plan.files.map((f) => f.path), ...plan.remove];
}
