import type { Table } from 'drizzle-orm';
import type { CodegenConfig } from '../config/load-config.js';
import { CODEGEN_DIALECTS } from '../dialects/index.js';
import { checkTriggerNames } from '../plan/trigger-names.js';
import { loadTables, type VersionedTable } from './load-tables.js';
import { scanInWorker } from './scan-in-worker.js';
import type { FoundCall, ScanDialects } from './scan-schema.js';
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
 * however imported, literal options, dialect of the imports — each with `file:line`) on a worker
 * thread, while the modules themselves are loaded for the truth about names. When both fail,
 * the scan's error is the one reported: it names the construct in the source.
 */
export async function collectSchema(config: CodegenConfig): Promise<CollectedSchema> {
  const files = schemaFiles(config.schema);
  const dialects: ScanDialects = { config: config.dialect.name, cores: Object.fromEntries(CODEGEN_DIALECTS.map((d) => [d.core, d.name])) };
  const scanning = scanInWorker(files, dialects);
  const loading = loadTables(files, config.dialect, config.casing);
  const [scanned, loaded] = await Promise.allSettled([scanning, loading]);
  if (scanned.status === 'rejected') throw scanned.reason;
  if (loaded.status === 'rejected') throw loaded.reason;
  const { tables, exports } = loaded.value;
  tables.sort((a, b) => a.name.localeCompare(b.name) || (a.schema ?? '').localeCompare(b.schema ?? ''));
  checkTriggerNames(tables);
  return { files, calls: scanned.value.calls, tables, exports };
}
