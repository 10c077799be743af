import { createHash } from 'node:crypto';
import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { adapterForTable } from '../dialect/adapters.js';
import type { DialectName } from '../dialect/dialect-adapter.js';
import { ConfigurationError } from '../errors.js';
import { primaryKeyColumns } from '../schema/primary-key.js';
import { getVersionColumn } from '../schema/version-column.js';

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
  /**
   * SQL names of the `checkColumns` of type `json`, which has no equality operator on
   * PostgreSQL (compared as `jsonb` there). Absent when there are none.
   */
  jsonColumns?: readonly string[];
  /** Full trigger name, `concurrency_` prefixed, within the dialect's length limit. */
  name: string;
}

/** The PostgreSQL schema a table was declared in (`pgSchema('x').table`), or `undefined`. */
export function tableSchema(table: Table): string | undefined {
  return (table as unknown as Record<symbol, string | undefined>)[Symbol.for('drizzle:Schema')];
}

/**
 * Trigger and function names may not exceed these lengths: bytes for PostgreSQL (NAMEDATALEN
 * 63) and SQLite, characters (code points) for MySQL/MariaDB.
 */
export const NAME_LIMITS: Record<DialectName, number> = { pg: 63, mysql: 64, sqlite: 1024 };

/** How a dialect measures a name against its {@link NAME_LIMITS}. */
const nameSize: Record<DialectName, (name: string) => number> = {
  pg: (name) => Buffer.byteLength(name),
  mysql: (name) => [...name].length,
  sqlite: (name) => Buffer.byteLength(name),
};

/** drizzle-kit's statement separator: drizzle-orm's migrator splits a migration on it, wherever it is. */
const BREAKPOINT_MARK = '--> statement-breakpoint';

/**
 * Refuses an identifier the trigger migration could not carry: one holding drizzle-kit's
 * statement separator (the migrator would split the statement there), a line break (the
 * migration's header lines), NUL (no database accepts it), or a lone UTF-16 surrogate (no
 * UTF-8 spelling).
 * @example
 * checkIdentifier('triggerName of "items"', 'x--> statement-breakpoint') // throws ConfigurationError
 */
export function checkIdentifier(what: string, value: string): void {
  const bad = value.includes(BREAKPOINT_MARK)
    ? `holds "${BREAKPOINT_MARK}", drizzle-kit's statement separator`
    : /[\r\n]/.test(value)
      ? 'holds a line break'
      : value.includes('\0')
        ? 'holds a NUL character'
        : /\p{Surrogate}/u.test(value)
          ? 'holds a lone UTF-16 surrogate'
          : undefined;
  if (bad) throw new ConfigurationError(`${what} ${JSON.stringify(value)} ${bad}: the trigger migration cannot carry it`);
}

/**
 * `concurrency_<table>_<column>`, or `concurrency_<triggerName>`; a name over the dialect's
 * limit is cut on a code point boundary and ends with `_` and 8 hex digits of the full name's
 * SHA-256. `ConfigurationError` for a name {@link checkIdentifier} refuses.
 * @example
 * triggerName('pg', 'items', 'version') // 'concurrency_items_version'
 * triggerName('mysql', 'items', 'version', 'items_rev') // 'concurrency_items_rev'
 */
export function triggerName(dialect: DialectName, table: string, column: string, custom?: string): string {
  if (custom !== undefined) checkIdentifier(`triggerName of "${table}"`, custom);
  const base = custom ? (custom.startsWith('concurrency_') ? custom : `concurrency_${custom}`) : `concurrency_${table}_${column}`;
  checkIdentifier(`the trigger name of "${table}"."${column}"`, base);
  const limit = NAME_LIMITS[dialect];
  const size = nameSize[dialect];
  if (size(base) <= limit) return base;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 8);
  const points = [...base];
  while (size(points.join('')) > limit - 9) points.pop();
  return `${points.join('')}_${hash}`;
}

/**
 * The key two triggers of `dialect` may not share: PostgreSQL trigger names are per table but
 * the function of the same name is per schema; MySQL/MariaDB trigger names are per database
 * (case-insensitive where the file system is: compared folded); SQLite names are per database
 * and case-insensitive (ASCII).
 */
export function triggerNameScope(spec: Pick<TriggerSpec, 'dialect' | 'schema' | 'name'>): string {
  if (spec.dialect === 'pg') return JSON.stringify([spec.schema ?? 'public', spec.name]);
  const folded = spec.dialect === 'sqlite' ? spec.name.replace(/[A-Z]+/g, (c) => c.toLowerCase()) : spec.name.toLowerCase();
  return JSON.stringify([spec.schema ?? null, folded]);
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
  const schema = adapter.dialect === 'pg' ? tableSchema(table) : undefined;
  const checked = version.checkFields?.map((key) => columns[key]!);
  const json = checked?.filter((c) => c.getSQLType() === 'json').map((c) => sqlName(c)) ?? [];
  const spec: TriggerSpec = {
    dialect: adapter.dialect,
    schema,
    table: name,
    column: sqlName(version.column),
    keyColumns: primaryKeyColumns(table).map((c) => sqlName(c)),
    checkColumns: checked?.map((c) => sqlName(c)),
    ...(json.length > 0 ? { jsonColumns: json } : {}),
    name: triggerName(adapter.dialect, name, sqlName(version.column), version.triggerName),
  };
  for (const identifier of [spec.schema, spec.table, spec.column, ...spec.keyColumns, ...(spec.checkColumns ?? [])]) {
    if (identifier !== undefined) checkIdentifier(`the identifier of "${name}"`, identifier);
  }
  return spec;
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
