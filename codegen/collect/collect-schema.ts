import type { Table } from 'drizzle-orm';
import type { CodegenConfig } from '../config/load-config.js';
import { loadTables, type VersionedTable } from './load-tables.js';
import { scanSchema, type FoundCall } from './scan-schema.js';

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
 * Collects the versioned tables of a config's schema: a ts-morph scan first (syntax errors,
 * builders however imported, literal options, dialect of the imports — each with `file:line`),
 * then the modules themselves for the truth about names.
 */
export async function collectSchema(config: CodegenConfig): Promise<CollectedSchema> {
  const scan = scanSchema(config.schema, config.dialect);
  const { tables, exports } = await loadTables(scan.files, config.dialect, config.casing);
  tables.sort((a, b) => a.name.localeCompare(b.name) || (a.schema ?? '').localeCompare(b.schema ?? ''));
  return { files: scan.files, calls: scan.calls, tables, exports };
}
