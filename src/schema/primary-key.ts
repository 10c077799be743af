import type { Column, Table } from 'drizzle-orm';
import { adapterForTable } from '../dialect/adapters.js';

/**
 * Primary-key columns of `table` in declaration order: the columns of its `primaryKey({ columns })`
 * when it has one, else the inline `.primaryKey()` columns. Composite-key columns are the ones
 * Drizzle built for the extra config (match them to table keys by SQL name). No SQL is sent.
 * @example
 * primaryKeyColumns(accounts).map((c) => c.name)     // ['id']
 * primaryKeyColumns(memberships).map((c) => c.name)  // ['org_id', 'user_id']
 */
export function primaryKeyColumns(table: Table): Column[] {
  const config = adapterForTable(table).tableConfig(table);
  const composite = config.primaryKeys[0];
  return composite ? [...composite.columns] : config.columns.filter((c) => c.primary);
}
