import type { Table } from 'drizzle-orm';
import type { CodegenConfig } from '../config/load-config.js';
import { checkTriggerNames } from '../plan/trigger-names.js';
import { loadTables, type VersionedTable } from './load-tables.js';
import type { FoundCall, StaticScan } from './scan-schema.js';
import { schemaFiles } from './schema-files.js';

/** Everything the codegen knows about a schema: the static scan and the loaded tables. */
export interface CollectedSchema {
  /** Schema files matched by the config (absolute). */
  files: string[];
  calls: FoundCall[];
  tables: VersionedTable[];
  /** Every exported table (versioned or not) and where it is exported from. */
  exports: Map<Table, { exportName: string; module: string }>;
}

/**
 * Collects the versioned tables of a config's schema: a ts-morph scan (syntax errors, builders
 * however imported, literal options, dialect of the imports — each with `file:line`) and the
 * modules themselves, loaded for the truth about names. The scan (ts-morph is loaded only now)
 * runs while esbuild bundles the schema in its own process. When both fail, the scan's error is
 * the one reported: it names the construct in the source.
 * @example
 * const { tables } = await collectSchema(await loadConfig('drizzle.config.ts'))
 * tables.map((t) => `${t.name}: ${t.version.kind}`) // ['products: trigger', …]
 */
export async function collectSchema(config: CodegenConfig): Promise<CollectedSchema> {
  const files = schemaFiles(config.schema);
  const loading = loadTables(files, config.dialect, config.casing);
  loading.catch(() => {});
  // One turn of the event loop: the bundle request is on its way to esbuild before the scan blocks this thread.
  await new Promise((next) => setImmediate(next));
  let scanned: StaticScan;
  try {
    scanned = (await import('./scan-schema.js')).scanSchema(files, config.dialect);
  } catch (error) {
    await loading.catch(() => {});
    throw error;
  }
  const { tables, exports } = await loading;
  tables.sort((a, b) => a.name.localeCompare(b.name) || (a.schema ?? '').localeCompare(b.schema ?? ''));
  checkTriggerNames(tables);
  return { files, calls: scanned.calls, tables, exports };
}
