import { getTableColumns, type Column, type Table } from 'drizzle-orm';
import { getTableConfig as mysqlConfig, type MySqlTable } from 'drizzle-orm/mysql-core';
import { getTableConfig as pgConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DialectName } from '../../src/dialect/dialect-adapter.js';

/** A foreign key of a table: local column keys → the parent table and its column names. */
export interface ForeignKey {
  columns: Column[];
  parent: Table;
  parentColumns: Column[];
}

export function foreignKeys(table: Table, dialect: DialectName): ForeignKey[] {
  const config = dialect === 'pg' ? pgConfig(table as PgTable) : dialect === 'mysql' ? mysqlConfig(table as MySqlTable) : sqliteConfig(table as SQLiteTable);
  return config.foreignKeys.map((fk) => {
    const ref = fk.reference();
    return { columns: ref.columns as Column[], parent: ref.foreignTable as Table, parentColumns: ref.foreignColumns as Column[] };
  });
}

/** The TS key of a column in its table. */
export function keyOf(table: Table, column: Column): string {
  const entry = Object.entries(getTableColumns(table)).find(([, c]) => c.name === column.name);
  return entry?.[0] ?? column.name;
}

function maxLength(column: Column): number | undefined {
  const length = (column as unknown as { length?: number }).length;
  return typeof length === 'number' && length > 0 ? length : undefined;
}

/**
 * A TS expression for a sample value of `column` in a row numbered `id` (a variable in the
 * generated code), unique where it must be; `undefined` for types the codegen cannot invent
 * (the user's factory module supplies those).
 */
export function sampleValue(column: Column, variant: 'insert' | 'change'): string | undefined {
  const enumValues = (column as unknown as { enumValues?: readonly string[] }).enumValues;
  if (enumValues && enumValues.length > 0) {
    const value = variant === 'change' ? enumValues[1] : enumValues[0];
    return value === undefined ? undefined : JSON.stringify(value);
  }
  switch (column.dataType) {
    case 'number':
      return variant === 'change' ? '(id % 1000) + 7' : '(id % 1000) + 1';
    case 'string': {
      const max = maxLength(column);
      const text = variant === 'change' ? '`c${id}`' : '`${id}`';
      return max !== undefined && max < 11 ? `${text}.slice(-${max})` : text;
    }
    case 'boolean':
      return variant === 'change' ? 'false' : 'true';
    case 'date':
      return variant === 'change' ? 'new Date(86_400_000)' : 'new Date(0)';
    case 'bigint':
      return variant === 'change' ? 'BigInt(id) + 7n' : 'BigInt(id)';
    case 'json':
      return variant === 'change' ? '{ changed: true }' : '{}';
    default:
      return undefined;
  }
}

/** True for a column whose values the generated tests can make up. */
export function canSample(column: Column): boolean {
  return sampleValue(column, 'insert') !== undefined && sampleValue(column, 'change') !== undefined;
}
