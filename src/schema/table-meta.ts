import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import { adapterForTable } from '../dialect/adapters.js';
import type { DialectAdapter } from '../dialect/dialect-adapter.js';
import { ConfigurationError } from '../errors.js';
import { primaryKeyColumns } from './primary-key.js';
import { cachedForTable } from './table-cache.js';
import { getVersionColumn, type VersionColumnInfo } from './version-column.js';

/** Everything the write path needs about one table, computed once. */
export interface TableMeta {
  readonly table: Table;
  /** SQL name, as errors report it. */
  readonly name: string;
  readonly adapter: DialectAdapter;
  readonly version: VersionColumnInfo;
  readonly primaryKey: readonly { key: string; column: Column }[];
  readonly columns: Readonly<Record<string, Column>>;
  /**
   * Keys whose changed value moves the version (conditional versions, trigger versions with
   * `checkFields`); `undefined` when every write moves it.
   */
  readonly watchedKeys: ReadonlySet<string> | undefined;
  /** Keys of other columns with a Drizzle `$onUpdate` function, evaluated on each write. */
  readonly onUpdateKeys: readonly string[];
  /**
   * Keys of columns the database computes on a write (generated columns, MySQL `on update
   * now()`): a written row known without a read-back could not know their values.
   */
  readonly computedKeys: readonly string[];
}

/** Metadata of a versioned table; `ConfigurationError` when it has no version column or primary key. */
export function tableMeta(table: Table): TableMeta {
  return cachedForTable(table, 'meta', () => computeMeta(table));
}

function computeMeta(table: Table): TableMeta {
  const adapter = adapterForTable(table);
  const name = getTableName(table);
  const version = getVersionColumn(table);
  if (!version) {
    throw new ConfigurationError(
      `"${name}" has no version column: declare one with integerVersion() (or another version builder) or mark one with applyConcurrencyCheck()`,
    );
  }
  const columns = getTableColumns(table) as Record<string, Column>;
  // Composite keys are built from the extra-config columns: match them by SQL name.
  const keyOf = new Map(Object.entries(columns).map(([key, column]) => [column.name, key]));
  const primaryKey = primaryKeyColumns(table).map((built) => {
    const key = keyOf.get(built.name) ?? built.name;
    return { key, column: columns[key] ?? built };
  });
  if (primaryKey.length === 0) throw new ConfigurationError(`"${name}" has no primary key: versioned writes find rows by it`);
  return {
    table,
    name,
    adapter,
    version,
    primaryKey,
    columns,
    watchedKeys: watched(version, Object.keys(columns)),
    onUpdateKeys: Object.keys(columns).filter((key) => key !== version.key && columns[key]?.onUpdateFn !== undefined),
    computedKeys: Object.keys(columns).filter((key) => isComputed(columns[key]!)),
  };
}

function isComputed(column: Column): boolean {
  return column.generated !== undefined || (column as Column & { hasOnUpdateNow?: boolean }).hasOnUpdateNow === true;
}

function watched(version: VersionColumnInfo, keys: string[]): ReadonlySet<string> | undefined {
  if (version.kind === 'trigger') return version.checkFields ? new Set(version.checkFields) : undefined;
  if (version.kind !== 'conditional') return undefined;
  if (version.checkFields) return new Set(version.checkFields);
  const ignored = new Set(version.ignoreFields ?? []);
  return new Set(keys.filter((key) => key !== version.key && !ignored.has(key)));
}
