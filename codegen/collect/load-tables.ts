import type { Column } from 'drizzle-orm';
import { Table, getTableColumns, getTableName, is } from 'drizzle-orm';
import { adapterForTable } from '../../src/dialect/adapters.js';
import { ConfigurationError } from '../../src/errors.js';
import { tableMeta } from '../../src/schema/table-meta.js';
import { tableSchema, triggerSpecFor, type TriggerSpec } from '../../src/triggers/trigger-spec.js';
import { VERSION_MARKER, getVersionColumn, type VersionColumnInfo, type VersionMarker } from '../../src/schema/version-column.js';
import { CodegenError, shown } from '../codegen-error.js';
import type { CodegenDialect } from '../dialects/index.js';
import { placedSite, registerBundle, withCallSites, type CallSite } from '../load/call-sites.js';
import { ModuleBuildError, importTypeScript } from '../load/import-typescript.js';

/** A versioned table as the schema module really builds it, with where it was declared. */
export interface VersionedTable {
  table: Table;
  /** Export name and absolute path of the module that exports it. */
  exportName: string;
  module: string;
  dialect: CodegenDialect;
  /** SQL name (and PostgreSQL schema). */
  name: string;
  schema: string | undefined;
  version: VersionColumnInfo;
  /** Where the version builder (or `applyConcurrencyCheck`) was called. */
  site: CallSite | undefined;
  /** The trigger of a `triggerVersion()` column. */
  trigger: TriggerSpec | undefined;
}

/** Where the version column of `table` was declared, placed from the call site its builder captured. */
function markerSite(table: Table): CallSite | undefined {
  for (const column of Object.values(getTableColumns(table)) as Column[]) {
    const marker = (column as unknown as { config: Record<symbol, VersionMarker | undefined> }).config[VERSION_MARKER];
    if (marker?.site) return placedSite(marker.site);
  }
  return undefined;
}

/**
 * Imports the schema modules (bundled by esbuild, recording where version builders are called) and
 * returns every exported table with a version column. This is the truth about names: table
 * creators, `pgSchema(…).table`, constants and spread columns are all resolved by running them.
 */
export async function loadTables(
  files: readonly string[],
  dialect: CodegenDialect,
  casing?: 'snake_case' | 'camelCase',
): Promise<{ tables: VersionedTable[]; exports: Map<Table, { exportName: string; module: string }> }> {
  const seen = new Map<Table, VersionedTable>();
  const exports = new Map<Table, { exportName: string; module: string }>();
  let modules: Record<string, unknown>[];
  try {
    modules = await withCallSites(() => importTypeScript(files, registerBundle));
  } catch (error) {
    const where = error instanceof ModuleBuildError && error.file ? { file: shown(error.file), line: error.line } : { file: shown(files[0] ?? '') };
    throw new CodegenError(`cannot load the schema: ${(error as Error).message.split('\n')[0]}`, where, { cause: error });
  }
  files.forEach((file, i) => {
    for (const [exportName, value] of Object.entries(modules[i]!)) {
      if (!is(value, Table) || exports.has(value)) continue;
      exports.set(value, { exportName, module: file });
      const found = describe(value, exportName, file, dialect, casing);
      if (found) seen.set(value, found);
    }
  });
  return { tables: [...seen.values()], exports };
}

function describe(table: Table, exportName: string, module: string, dialect: CodegenDialect, casing?: 'snake_case' | 'camelCase'): VersionedTable | undefined {
  // Placing the call site is the costly part of capturing it: only for an error, or when asked.
  const where = () => {
    const site = markerSite(table);
    return { file: site ? shown(site.file) : shown(module), line: site?.line };
  };
  let version: VersionColumnInfo | undefined;
  try {
    version = getVersionColumn(table);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new CodegenError(error.message, where(), { cause: error });
    throw error;
  }
  if (!version) return undefined;
  const tableDialect = adapterForTable(table).dialect;
  if (tableDialect !== dialect.name) {
    throw new CodegenError(`"${getTableName(table)}" is a ${tableDialect} table but the config's dialect is ${dialect.name}`, where());
  }
  let trigger: TriggerSpec | undefined;
  try {
    // What every versioned write needs (a primary key first): refused here, not in a broken suite.
    tableMeta(table);
    trigger = triggerSpecFor(table, casing ? { casing } : {});
  } catch (error) {
    throw new CodegenError((error as Error).message, where(), { cause: error });
  }
  return {
    table,
    exportName,
    module,
    dialect,
    name: getTableName(table),
    schema: tableSchema(table),
    version,
    get site() {
      return markerSite(table);
    },
    trigger,
  };
}
