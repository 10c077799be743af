import { createHash } from 'node:crypto';
import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { adapterForTable } from './adapters.js';
import type { DialectName } from './dialect-adapter.js';
import { getVersionColumn } from './version-column.js';

/**
 * Everything needed to render one version trigger, in SQL names: the dialect-neutral plan of
 * a `triggerVersion()` column.
 */
export interface TriggerSpec {
  dialect: DialectName;
  /** PostgreSQL schema of the table (`undefined`: the search path, usually `public`). */
  schema: string | undefined;
  table: string;
  /** SQL name of the version column. */
  column: string;
  /** SQL names of the primary-key columns (SQLite's trigger finds the row by them). */
  keyColumns: readonly string[];
  /** SQL names of `checkFields`: the trigger fires only when one of them changes. */
  checkColumns: readonly string[] | undefined;
  /** Full trigger name, `concurrency_` prefixed, within the dialect's length limit. */
  name: string;
}

/** The PostgreSQL schema a table was declared in (`pgSchema('x').table`), or `undefined`. */
export function tableSchema(table: Table): string | undefined {
  return (table as unknown as Record<symbol, string | undefined>)[Symbol.for('drizzle:Schema')];
}

/** Trigger and function names may not exceed these lengths (bytes for PostgreSQL). */
export const NAME_LIMITS: Record<DialectName, number> = { pg: 63, mysql: 64, sqlite: 1024 };

/**
 * `concurrency_<table>_<column>`, or `concurrency_<triggerName>`; a name over the dialect's
 * limit is cut and ends with 8 hex digits of its SHA-256, so shortening never collides.
 */
export function triggerName(dialect: DialectName, table: string, column: string, custom?: string): string {
  const base = custom ? (custom.startsWith('concurrency_') ? custom : `concurrency_${custom}`) : `concurrency_${table}_${column}`;
  const limit = NAME_LIMITS[dialect];
  if (Buffer.byteLength(base) <= limit) return base;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 8);
  let head = base;
  while (Buffer.byteLength(head) > limit - 9) head = head.slice(0, -1);
  return `${head}_${hash}`;
}

/**
 * The trigger plan of `table`, or `undefined` when its version is not a `triggerVersion()`.
 * `casing` is the `casing` option of `drizzle()` / drizzle-kit, for columns named by their key.
 */
export function triggerSpecFor(table: Table, options: { casing?: 'snake_case' | 'camelCase' } = {}): TriggerSpec | undefined {
  const version = getVersionColumn(table);
  if (!version || version.kind !== 'trigger') return undefined;
  const adapter = adapterForTable(table);
  const casing = new CasingCache(options.casing);
  const sqlName = (column: Column) => casing.getColumnCasing(column);
  const columns = getTableColumns(table) as Record<string, Column>;
  const name = getTableName(table);
  const schema = tableSchema(table);
  return {
    dialect: adapter.dialect,
    schema: adapter.dialect === 'pg' ? schema : undefined,
    table: name,
    column: sqlName(version.column),
    keyColumns: adapter.primaryKeyColumns(table).map((c) => sqlName(c)),
    checkColumns: version.checkFields?.map((key) => sqlName(columns[key]!)),
    name: triggerName(adapter.dialect, name, sqlName(version.column), version.triggerName),
  };
}

/** Renders the DDL of version triggers for one dialect. Each string is ONE statement. */
export interface TriggerDdl {
  /** Idempotent statements that (re)create the trigger (and PostgreSQL function). */
  create(spec: TriggerSpec): string[];
  /** Idempotent statements that drop the trigger (and PostgreSQL function). */
  drop(spec: Pick<TriggerSpec, 'schema' | 'table' | 'name'>): string[];
  /** A query listing this library's triggers as rows `{ name, table }` (plus `schema` on PostgreSQL). */
  list(): string;
}
