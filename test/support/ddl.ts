/**
 * Minimal CREATE TABLE statements from Drizzle tables, for test set-up only (the shapes the
 * test schemas use: integer, bigint, varchar/text, defaults, single and composite keys).
 */
import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import { getTableConfig as myConfig } from 'drizzle-orm/mysql-core';
import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as liteConfig } from 'drizzle-orm/sqlite-core';
import type { Dialect } from './databases.js';

export function quote(dialect: Dialect, name: string): string {
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}

function compositeKey(dialect: Dialect, table: Table): Column[] | undefined {
  const config = dialect === 'pg' ? pgConfig(table as any) : dialect === 'mysql' ? myConfig(table as any) : liteConfig(table as any);
  return config.primaryKeys[0]?.columns as Column[] | undefined;
}

/** `drop table if exists` then `create table` for `table`. */
export function tableDdl(dialect: Dialect, table: Table): string[] {
  const q = (n: string) => quote(dialect, n);
  const composite = compositeKey(dialect, table);
  const defs = Object.values(getTableColumns(table)).map((c: Column) => {
    let def = `${q(c.name)} ${c.getSQLType()}`;
    if (c.notNull && !c.primary) def += ' not null';
    if (c.default !== undefined && typeof c.default !== 'object') def += ` default ${JSON.stringify(c.default)}`;
    if (c.primary) def += ' primary key';
    return def;
  });
  if (composite) defs.push(`primary key (${composite.map((c) => q(c.name)).join(', ')})`);
  const name = q(getTableName(table));
  return [`drop table if exists ${name}`, `create table ${name} (${defs.join(', ')})`];
}
